/** One statement of the reference document and the properties that judge it. */
export interface Statement {
  /** The section of the document it stands in, by its heading. */
  section: string;
  /** The document's words; "…" marks words left out of a long example. */
  says: string;
  /** The properties that judge it. */
  judgedBy?: readonly string[];
  /** Why no request through the API can observe it, for a statement no property judges. */
  unobservable?: string;
}

/** The checks that follow one connection of each strategy through its whole life. */
export const LIFECYCLES = [
  "lifecycle.adfs",
  "lifecycle.google-apps",
  "lifecycle.google-oauth2",
  "lifecycle.office365",
  "lifecycle.windowslive",
];
