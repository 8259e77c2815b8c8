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
      if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
        button.setAttribute("aria-label", `${label}: ${visible}`);
      }
    }
  }

  // A deep link (#/users/listusers) first shows the overview the page was built with, until Redoc
  // has rendered the route; the head script hides the content meanwhile (see routingScript in
  // scripts/build.mjs), and this shows it once the overview's title is gone, or after 4 s.
  function routed() {
    const root = document.documentElement;
    if (!root.classList.contains("mgmtkit-routing")) return;
    const main = document.querySelector("main");
    if (
      main &&
      !main.querySelector("h1:not(.mgmtkit-visually-hidden)") &&
      main.querySelector("h2")
    ) {
      root.classList.remove("mgmtkit-routing");
    }
  }
  setTimeout(() => document.documentElement.classList.remove("mgmtkit-routing"), 4000);

  let queued = false;
  function repair() {
    queued = false;
    routed();
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
