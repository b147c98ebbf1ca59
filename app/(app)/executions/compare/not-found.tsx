// Runs that cannot be compared because one is missing (or not this person's to see) answer as a missing execution does.
export { default } from "../[id]/not-found";
