/**
 * What proxy.ts answers a form or server action it refuses before anything runs; a page that
 * called the action shows the sentence as it is (lib/http/reachable-action.ts).
 */
export const crossSiteMessage = "Runlog accepts forms and actions only from its own pages; open Runlog and try again there.";
export const oversizedMessage = "That form sent more than 1 MB, more than any of Runlog's forms takes; shorten what you entered and try again.";
