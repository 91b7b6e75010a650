/* Numbered paragraphs (studybook/paragraphs): a "Copy link" button beside a paragraph's number
   while the number is hovered or focused (Tab reaches it next), and the "Cite this page" panel's
   passage citation for the paragraph the address names. No network. */
(() => {
  "use strict";
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "para-copy";
  let hideTimer = 0;
  let dismissed = null;  // the number whose button Escape closed: focus returns to it without reopening

  function linkOf(number) {
    return new URL(number.getAttribute("href"), location.href).href;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const area = document.createElement("textarea");  // file:// and plain http have no clipboard API
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function offer(number) {
    if (number === dismissed) return;
    clearTimeout(hideTimer);
    if (button.previousElementSibling === number) return;
    button.textContent = "Copy link";
    button.setAttribute("aria-label", `Copy link to ${number.getAttribute("aria-label").toLowerCase()}`);
    number.after(button);
    if (!status.isConnected) document.body.append(status);
  }

  function withdraw() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (!button.matches(":hover, :focus") && !button.previousElementSibling?.matches(":hover, :focus")) {
        button.remove();
      }
    }, 400);
  }

  button.addEventListener("click", () => {
    const number = button.previousElementSibling;
    copyText(linkOf(number)).then(
      () => { button.textContent = "Copied"; status.textContent = "Link copied"; },
      () => { status.textContent = `Copy this link: ${linkOf(number)}`; },
    );
  });
  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(type, (event) => {
      const number = event.target.closest?.("a.para-number");
      if (number) offer(number);
      else if (event.target === button) clearTimeout(hideTimer);
    });
  }
  for (const type of ["mouseout", "focusout"]) {
    document.addEventListener(type, (event) => {
      if (event.target === dismissed) dismissed = null;
      if (event.target === button || event.target.closest?.("a.para-number")) withdraw();
    });
  }
  /* "Cite this page": the reader's own address, and the paragraph it names (#p-14), if any. */
  const panel = document.querySelector("details.cite-panel");
  const downloads = [];
  function fill(template, url, passage) {
    return template.replaceAll("{url}", url).replaceAll("{passage}", passage);
  }
  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
  function cite() {
    const given = panel.dataset.url;
    const page = /^https?:/.test(given) || location.protocol === "file:" ? given : location.href.split("#")[0];
    const number = /^#p-\d+$/.test(location.hash) && panel.dataset.passageChicago
      && document.querySelector(`a.para-number[href="${location.hash}"]`);
    const passage = number ? number.textContent : "";
    const url = number ? page + location.hash : page;
    const kind = number ? "passage-" : "";
    const data = (name) => panel.dataset[(kind + name).replace(/-(\w)/g, (_, c) => c.toUpperCase())];
    panel.querySelector("summary").textContent = number ? `Cite this page or paragraph ${passage}` : "Cite this page";
    panel.querySelector(".cite-chicago").innerHTML = fill(data("chicago"), escapeHtml(url), escapeHtml(passage));
    downloads.splice(0).forEach(URL.revokeObjectURL);
    for (const [format, type] of [["bibtex", "application/x-bibtex"], ["ris", "application/x-research-info-systems"]]) {
      const link = panel.querySelector(`.cite-${format}`);
      const href = URL.createObjectURL(new Blob([fill(data(format), url, passage)], { type }));
      downloads.push(href);
      link.href = href;
      link.download = `${(passage ? `${document.title.split("|")[0].trim()} ${passage}` : document.title.split("|")[0].trim())
        .replace(/[^\w¶ -]+/g, "").trim()}.${format === "bibtex" ? "bib" : "ris"}`;
    }
  }
  if (panel) {
    cite();
    window.addEventListener("hashchange", cite);
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.isConnected) {
      const number = button.previousElementSibling;
      const hadFocus = document.activeElement === button;
      dismissed = number;
      button.remove();
      if (hadFocus) number.focus();
    }
  });
})();
