/**
 * Findings still open, each a real defect that the library fixes of issue #8 have not landed yet
 * (see `why`). The platform test asserts this exact list, so a NEW finding fails it, and so does a
 * fixed one: then delete its entry. Regenerate the lines from the test's diff, never by loosening
 * the harness.
 */
export interface KnownFinding {
  /** `[check] object: message` as the harness prints it. */
  readonly finding: string;
  /** Why it is still open, and which issue item fixes it. */
  readonly why: string;
}

/** The reference platform (MediaAiPlatform). */
export const KNOWN_FINDINGS: readonly KnownFinding[] = [
];

/** What the search-team example adds on top of the platform. */
export const KNOWN_EXAMPLE_FINDINGS: readonly KnownFinding[] = [

];
