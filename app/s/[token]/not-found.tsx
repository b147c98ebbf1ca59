export default function LinkGone() {
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-xl font-semibold">This link is no longer available</h1>
      <p className="mt-2 text-slate-500">It may have expired or been revoked. Ask the person who shared it for a new one.</p>
    </main>
  );
}
