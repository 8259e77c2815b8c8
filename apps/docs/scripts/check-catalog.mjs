// The check catalog of the conformance suite, read from `mgmtkit-contract list --format json` at
// build time so the page always lists the checks of the suite it ships with.
import { escapeHtml } from "./guides.mjs";
import { runBin } from "./package-cli.mjs";

/** @typedef {{ id: string, profile: string, title: string, requirement: string, source: string }} Check */

const fields = /** @type {const} */ (["id", "profile", "title", "requirement", "source"]);

/**
 * Parses and checks the catalog the CLI printed.
 * @param {string} json
 * @returns {Check[]}
 */
export function parseCatalog(json) {
  let catalog;
  try {
    catalog = JSON.parse(json);
  } catch (error) {
    throw new Error("`mgmtkit-contract list --format json` did not print JSON.", { cause: error });
  }
  if (!Array.isArray(catalog) || catalog.length === 0) {
    throw new Error("`mgmtkit-contract list --format json` printed no checks.");
  }
  catalog.forEach((check, index) => {
    for (const field of fields) {
      if (typeof check?.[field] !== "string" || check[field].trim() === "") {
        throw new Error(
          `Check ${index} of the catalog has no "${field}" (expected a non-empty string).`,
        );
      }
    }
  });
  const ids = new Set();
  for (const check of catalog) {
    if (ids.has(check.id)) throw new Error(`The catalog lists the check "${check.id}" twice.`);
    ids.add(check.id);
  }
  return catalog;
}

/** Runs the CLI and answers its catalog. */
export function loadCatalog() {
  return parseCatalog(
    runBin("@mgmtkit/contract", "mgmtkit-contract", ["list", "--format", "json"]).stdout,
  );
}

/**
 * The catalog as an HTML table, one row per check, with a count per profile above it.
 * @param {Check[]} catalog
 */
export function renderCatalog(catalog) {
  /** @type {Map<string, number>} */
  const perProfile = new Map();
  for (const check of catalog)
    perProfile.set(check.profile, (perProfile.get(check.profile) ?? 0) + 1);
  const counts = [...perProfile]
    .map(([profile, count]) => `${count} in <code>${escapeHtml(profile)}</code>`)
    .join(", ");
  const rows = catalog
    .map(
      (check) => `    <tr id="${escapeHtml(check.id)}">
      <td data-label="Check"><code>${escapeHtml(check.id)}</code></td>
      <td data-label="Profile">${escapeHtml(check.profile)}</td>
      <td data-label="What it verifies"><strong>${escapeHtml(check.title)}</strong><br />${escapeHtml(check.requirement)}</td>
      <td data-label="Where the document says so">${escapeHtml(check.source)}</td>
    </tr>`,
    )
    .join("\n");
  return `<p data-check-count="${catalog.length}">${catalog.length} checks: ${counts}.</p>

<table class="check-catalog">
  <thead>
    <tr><th>Check</th><th>Profile</th><th>What it verifies</th><th>Where the document says so</th></tr>
  </thead>
  <tbody>
${rows}
  </tbody>
</table>
`;
}
