// Repairs of the rendered reference that Redoc's options do not reach, kept in step with what Redoc
// renders (it renders routes as the reader moves): the sidebar is a navigation landmark, every route
// has one h1 and headings that go down one level at a time, scrollable code can be reached with the
// keyboard, and a button's accessible name contains its visible text. scripts/build.mjs inlines
// this file into dist/index.html.
(() => {
  const levelOf = (heading) =>
    Number(heading.getAttribute("aria-level") ?? heading.tagName.slice(1));

  function landmarks() {
    const main = document.querySelector("main");
    const menu = document.querySelector('[data-component-name="Menu/Menu"]');
    if (!main || !menu) return;
    let sidebar = menu;
    while (sidebar.parentElement && !sidebar.parentElement.contains(main)) {
      sidebar = sidebar.parentElement;
    }
    if (sidebar !== menu && !sidebar.hasAttribute("role")) {
      sidebar.setAttribute("role", "navigation");
      sidebar.setAttribute("aria-label", "API reference");
    }
    // The phone layout's menu button sits beside the sidebar; it belongs to the same navigation.
    for (const button of sidebar.parentElement?.children ?? []) {
      if (button.tagName === "BUTTON" && !button.closest("[role=navigation], nav")) {
        if (!button.hasAttribute("aria-label")) button.setAttribute("aria-label", "Menu");
        const nav = document.createElement("nav");
        nav.setAttribute("aria-label", "Menu");
        nav.style.display = "contents";
        button.before(nav);
        nav.append(button);
      }
    }
  }

  function headings() {
    const main = document.querySelector("main");
    if (!main) return;
    let title = main.querySelector(
      "h1:not(.mgmtkit-visually-hidden), [role=heading][aria-level='1']",
    );
    const own = main.querySelector("h1.mgmtkit-visually-hidden");
    if (title && own) own.remove();
    if (!title) {
      title = own ?? document.createElement("h1");
      title.className = "mgmtkit-visually-hidden";
      const first = main.querySelector("h2");
      const text = first ? `${document.title}: ${first.textContent}` : document.title;
      if (title.textContent !== text) title.textContent = text;
      if (!own) main.prepend(title);
    }
    let previous = 1;
    for (const heading of main.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      if (heading === title) continue;
      const native = Number(heading.tagName.slice(1));
      const level = Math.min(native, previous + 1);
      if (level !== native) heading.setAttribute("aria-level", String(level));
      else heading.removeAttribute("aria-level");
      previous = levelOf(heading);
    }
  }

  function focusableCode() {
    for (const block of document.querySelectorAll(
      "pre, [data-component-name='CodeBlock/CodeBlock']",
    )) {
      const scrolls =
        block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight;
      if (scrolls && !block.hasAttribute("tabindex")) {
        block.setAttribute("tabindex", "0");
        if (!block.hasAttribute("aria-label")) block.setAttribute("aria-label", "Code");
        block.setAttribute("role", "region");
      }
    }
  }

  function buttonNames() {
    for (const button of document.querySelectorAll("button[aria-label]")) {
      const visible = (button.textContent ?? "").trim();
      const label = button.getAttribute("aria-label") ?? "";
      // Redoc keeps an example picker's label at the first example whatever the reader picks.
      if (label.startsWith("Example: ") && visible && label !== `Example: ${visible}`) {
        button.setAttribute("aria-label", `Example: ${visible}`);
      } else if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
        button.setAttribute("aria-label", `${label}: ${visible}`);
      }
    }
  }

  // A deep link (#/users/listusers) first shows the overview the page was built with, until Redoc
  // has rendered the route; the head script hides the content meanwhile (see routingScript in
  // scripts/build.mjs), an operation's landing stands in for it (withLandings), and this shows the
  // content once the overview's title is gone, or after 4 s.
  function showRoute() {
    document.documentElement.classList.remove("mgmtkit-routing");
    for (const landing of document.querySelectorAll("body > .mgmtkit-landing")) landing.remove();
  }
  function routed() {
    const root = document.documentElement;
    if (!root.classList.contains("mgmtkit-routing")) return;
    const main = document.querySelector("main");
    if (
      main &&
      !main.querySelector("h1:not(.mgmtkit-visually-hidden)") &&
      main.querySelector("h2")
    ) {
      showRoute();
    }
  }
  setTimeout(showRoute, 4000);

  // Redoc shows an operation's x-codeSamples whatever request example the reader picks; the build
  // puts one sample per example beside the page (exampleSamples in scripts/code-samples.mjs), and
  // this shows the one that matches the pick in place of Redoc's, in Redoc's token colours. Redoc's
  // own block stays in the page, hidden, so that React keeps the nodes it owns.
  const samplesByExample = (() => {
    try {
      return JSON.parse(document.getElementById("mgmtkit-example-samples")?.textContent ?? "{}");
    } catch {
      return {};
    }
  })();

  /** The sample a request panel should show: its operation, language and picked example. */
  function pickedSample(panel) {
    const header = panel.querySelector("[data-component-name='Panel/PanelHeader']");
    const [operation, language] = header
      ? header.querySelectorAll(":scope > [data-testid=dropdown] > button")
      : [];
    if (!operation || !language) return undefined;
    const method = operation.querySelector("[data-component-name='Tag/Tag']")?.textContent.trim();
    const path = operation.querySelector(":scope > span")?.textContent.trim();
    // The button's text, not its label: Redoc leaves the label at the first pick.
    const example = panel.querySelector("button[aria-label^='Example: ']")?.textContent.trim();
    const byExample = samplesByExample[`${method} ${path}`] ?? {};
    // Redoc's own sample sends the first example.
    if (example === undefined || example === Object.keys(byExample)[0]) return undefined;
    return byExample[example]?.[language.textContent.trim()];
  }

  const tokens = {
    shell:
      /(?<comment>#[^\n]*)|(?<string>'[^']*'|"(?:[^"\\]|\\.)*")|(?<function>^curl\b|--[a-z-]+)/gm,
    typescript:
      /(?<comment>\/\/[^\n]*)|(?<string>"(?:[^"\\]|\\.)*")|(?<keyword>\b(?:import|from|const|await|new)\b)|(?<boolean>\b(?:true|false|null)\b)|(?<number>\b\d+(?:\.\d+)?\b)|(?<function>[A-Za-z_$][\w$]*(?=\())/g,
  };

  /** One line of code as spans coloured like Redoc's tokens. */
  function highlighted(line, pattern, number) {
    const out = document.createElement("span");
    out.dataset.line = String(number);
    let at = 0;
    for (const match of line.matchAll(pattern)) {
      out.append(line.slice(at, match.index));
      const kind = Object.keys(match.groups).find((name) => match.groups[name] !== undefined);
      const token = document.createElement("span");
      token.style.color = `var(--code-block-tokens-${kind}-color)`;
      token.textContent = match[0];
      out.append(token);
      at = match.index + match[0].length;
    }
    out.append(line.slice(at));
    return out;
  }

  function followExamples() {
    for (const ours of document.querySelectorAll("pre.mgmtkit-example-sample")) {
      if (!ours.previousElementSibling?.matches("pre[data-testid=source-code]")) ours.remove();
    }
    for (const theirs of document.querySelectorAll(
      "[data-testid=right-panel] pre[data-testid=source-code]",
    )) {
      const panel = theirs.closest("[data-component-name='Panel/Panel']");
      const source = panel ? pickedSample(panel) : undefined;
      let ours = theirs.nextElementSibling?.matches("pre.mgmtkit-example-sample")
        ? theirs.nextElementSibling
        : null;
      if (source === undefined) {
        ours?.remove();
        theirs.hidden = false;
        continue;
      }
      if (!ours) {
        ours = document.createElement("pre");
        ours.tabIndex = 0;
        theirs.after(ours);
      }
      const className = `${theirs.className} mgmtkit-example-sample`;
      if (ours.className !== className) ours.className = className;
      if (ours.dataset.source !== source) {
        const language = theirs.querySelector("code")?.dataset.language ?? "";
        const pattern = tokens[language] ?? tokens.typescript;
        const code = document.createElement("code");
        code.dataset.language = language;
        source.split("\n").forEach((line, i) => {
          if (i > 0) code.append("\n");
          code.append(highlighted(line, pattern, i + 1));
        });
        ours.replaceChildren(code);
        ours.dataset.source = source;
      }
      theirs.hidden = true;
    }
  }

  // Redoc's copy button copies its own sample; once it has, the shown one replaces it.
  window.addEventListener("click", (event) => {
    const block = event.target
      .closest?.("[data-testid=copy-button]")
      ?.closest("[data-component-name='CodeBlock/CodeBlock']");
    const source = block?.querySelector("pre.mgmtkit-example-sample")?.dataset.source;
    if (source === undefined) return;
    navigator.clipboard?.writeText(source).catch(() => {});
  });

  let queued = false;
  function repair() {
    queued = false;
    routed();
    followExamples();
    landmarks();
    headings();
    focusableCode();
    buttonNames();
  }
  const observer = new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(repair);
    }
  });
  const start = () => {
    repair();
    // Redoc sets aria-label again when it renders a button anew.
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributeFilter: ["aria-label"],
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
