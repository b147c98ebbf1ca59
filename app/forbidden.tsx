import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-xl font-semibold">Admins only</h1>
      <p className="mt-2 text-slate-500">This page is for workspace admins. Ask an admin of your workspace if you need what it shows.</p>
      <Link href="/executions" className="mt-6 inline-block text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Go to past executions</Link>
    </main>
  );
}
