import { notFound } from "next/navigation";
import { isRefusedValue } from "@/db/constraint-errors";
import { failureFromUnexpected } from "@/lib/unexpected-failure";

/**
 * The one way to write a page that reads its address (a path segment or the query). Its own
 * validation turns what it cannot read into a sentence on the page; a value that validation let
 * through and the database still refuses (a date or number out of range, text it cannot read)
 * answers the not-found page with 404, as a route answers 400, never the error page with 500.
 * Anything else goes on to the error page (and Next's redirect and notFound pass untouched).
 */
export function pageReadingAddress<Props>(render: (props: Props) => Promise<React.ReactNode>): (props: Props) => Promise<React.ReactNode> {
  return async (props) => {
    try {
      return await render(props);
    } catch (error) {
      if (!isRefusedValue(error)) throw error;
      // Logs the refusal as every action and route does.
      failureFromUnexpected(error);
      notFound();
    }
  };
}
