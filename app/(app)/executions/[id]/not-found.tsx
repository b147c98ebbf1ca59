import Link from "next/link";

export default function ExecutionNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-xl font-semibold">Execution not found</h1>
      <p className="mt-2 text-slate-500">
        It may have been deleted, or it belongs to a workspace or person you cannot see. Check the link, or ask
        whoever sent it to share the execution with you.
      </p>
      <Link href="/executions" className="mt-6 inline-block text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Back to past executions</Link>
    </div>
  );
}
