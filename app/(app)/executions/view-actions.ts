"use server";

import { action } from "@/lib/http/action";
import { deleteView, renameView, saveView, setDefaultView } from "@/lib/executions/saved-views";

// Views show in the sidebar of every page, so each change refreshes the whole app layout.
const everywhere = [{ layout: "/" }];

/** Saves the page's filters and search as a named view. */
export const saveViewAction = action({ access: "member", run: (ctx, input: unknown) => saveView(ctx, input), revalidate: everywhere });

export const renameViewAction = action({ access: "member", run: (ctx, input: unknown) => renameView(ctx, input), revalidate: everywhere });

export const deleteViewAction = action({ access: "member", run: (ctx, id: unknown) => deleteView(ctx, id), revalidate: everywhere });

/** Makes a view (or none: null) what Past executions opens with. */
export const setDefaultViewAction = action({ access: "member", run: (ctx, input: unknown) => setDefaultView(ctx, input), revalidate: everywhere });
