// The spec form's behaviour: conditions, rows, checks as one types, the preview, downloads and saving.
// Plain script, no library, nothing fetched but this server's own /api/ (with the token from the URL).
"use strict";
(function () {
  const token = new URLSearchParams(location.search).get("token") || "";
  const form = document.getElementById("spec-form");
  const summary = document.getElementById("summary");
  const preview = document.getElementById("preview");
  const status = document.getElementById("status");

  function api(path, body, method) {
    return fetch(path, {
      method: method || "POST",
      headers: { "X-Contractgen-Token": token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function visible(el) {
    for (let node = el; node && node !== form; node = node.parentElement) {
      if (node.hidden || node.tagName === "TEMPLATE") return false;
    }
    return true;
  }

  // The form's values as the spec's data: every value as typed (text), empty fields left out.
  function collect() {
    const data = {};
    for (const input of form.querySelectorAll("input[name], select[name]")) {
      if (!visible(input) || input.value.trim() === "") continue;
      const parts = input.name.split(".");
      let node = data;
      parts.forEach(function (part, n) {
        if (n === parts.length - 1) { node[part] = input.value; return; }
        if (!(part in node)) node[part] = /^\d+$/.test(parts[n + 1]) ? [] : {};
        node = node[part];
      });
    }
    return data;
  }

  function controlValue(path) {
    const control = form.querySelector('[name="' + CSS.escape(path) + '"]');
    if (!control) return "";
    if (control.value) return control.value;
    return control.tagName === "SELECT" && control.options.length ? control.options[0].value : "";
  }

  // data-when="hidden:party_a.kind|eq|person required:…": hidden or required while the schema's branch holds.
  function applyConditions() {
    for (const el of form.querySelectorAll("[data-when]")) {
      let hidden = false, required = false;
      for (const rule of el.dataset.when.split(" ")) {
        const [effect, condition] = rule.split(/:(.*)/s);
        const [control, test, value] = condition.split("|");
        const holds = (controlValue(control) === value) === (test === "eq");
        if (holds && effect === "hidden") hidden = true;
        if (holds && effect === "required") required = true;
      }
      el.hidden = hidden;
      el.classList.toggle("required-now", required);
    }
  }

  function renumber(list, path) {
    list.querySelectorAll(":scope > .row").forEach(function (row, n) {
      for (const el of row.querySelectorAll("*")) {
        for (const name of ["name", "id", "for", "aria-describedby", "list", "data-when"]) {
          const value = el.getAttribute(name);
          if (value) el.setAttribute(name, value.split(path + ".").map(function (piece, i) {
            return i === 0 ? piece : piece.replace(/^(__i__|\d+)/, String(n));
          }).join(path + "."));
        }
      }
    });
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    const rows = button.closest(".rows");
    const list = rows.querySelector(".row-list");
    if (button.classList.contains("add-row")) {
      list.appendChild(rows.querySelector("template").content.cloneNode(true));
      renumber(list, rows.dataset.path);
      const inputs = list.querySelectorAll(":scope > .row:last-child input");
      if (inputs.length) inputs[0].focus();
    } else if (button.classList.contains("remove-row")) {
      button.closest(".row").remove();
      renumber(list, rows.dataset.path);
      button.blur();
      rows.querySelector(".add-row").focus();
    }
    changed();
  });

  function fieldOf(path) {
    let parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    while (parts.length) {
      const key = parts.join(".");
      const error = document.getElementById("e-" + key);
      if (error) return { error: error, input: document.getElementById("f-" + key) };
      parts = parts.slice(0, -1);
    }
    return { error: null, input: null };
  }

  // Before the person has typed, an empty form is not a list of mistakes: a field's problems show once it has
  // been touched, and all of them once a download is asked for (or when the form opened filled from a file).
  const touched = new Set();
  let showAll = false;

  function concerns(path) {
    const dotted = path.replace(/\[(\d+)\]/g, ".$1");
    for (const name of touched) {
      if (name === dotted || name.startsWith(dotted + ".") || dotted.startsWith(name + ".")) return true;
    }
    return false;
  }

  function labelOf(input) {
    const own = input.labels && input.labels[0] ? input.labels[0].textContent
      : (input.querySelector("legend") || {}).textContent || "";
    const name = own.replace(/\s*\*\s*$/, "");
    const section = input.closest("section");
    const where = section ? section.getAttribute("aria-label") : "";
    return where && where !== name ? where + " · " + name : name;
  }

  function show(all) {
    const diagnostics = showAll ? all : all.filter(function (d) { return concerns(d.path); });
    for (const el of form.querySelectorAll(".error")) { el.textContent = ""; el.className = "error"; }
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    summary.replaceChildren();
    const errors = diagnostics.filter(function (d) { return d.severity === "error"; }).length;
    const head = document.createElement("p");
    head.textContent = diagnostics.length
      ? "有 " + errors + " 个错误、" + (diagnostics.length - errors) + " 个警告："
      : showAll || all.length === 0 ? "没有发现问题。" : "逐项填写即可：填过的项目有问题时，会在该项旁边和这里列出。";
    summary.appendChild(head);
    const list = document.createElement("ul");
    for (const d of diagnostics) {
      const where = fieldOf(d.path);
      const label = d.severity !== "warning" ? "" : d.acknowledged ? "警告（已确认：" + d.acknowledged + "）：" : "警告：";
      const text = label + d.message + (d.citation ? "（依据：" + d.citation + "）" : "");
      if (where.error) {
        where.error.textContent = (where.error.textContent ? where.error.textContent + "；" : "") + text;
        where.error.classList.add(d.severity);
        if (where.input && d.severity === "error") where.input.setAttribute("aria-invalid", "true");
      }
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = where.input ? "#" + where.input.id : "#";
      const section = document.getElementById("s-" + d.path.split(/[.[]/)[0]);
      const name = where.input ? labelOf(where.input) : section ? section.getAttribute("aria-label") : "";
      link.textContent = (name || d.path) + "：" + text;
      if (!where.input && section) link.href = "#" + section.id;
      link.className = d.severity;
      item.appendChild(link);
      list.appendChild(item);
    }
    summary.appendChild(list);
    return all.filter(function (d) { return d.severity === "error"; }).length;
  }

  let timer = null, generation = 0;
  async function check() {
    const mine = ++generation;
    const type = encodeURIComponent(controlValue("type"));
    const response = await api("/api/validate?wording=form&type=" + type, collect());
    const payload = await response.json();
    if (mine !== generation) return null;
    const errors = show(payload.diagnostics || []);
    if (!payload.diagnostics && payload.error) { summary.textContent = payload.error; return 1; }
    if (errors === 0) refreshPreview();
    return errors;
  }

  async function refreshPreview() {
    const response = await api("/api/preview", collect());
    if (response.ok) preview.srcdoc = await response.text();
  }

  // The preview follows the editing: each new preview is compared, block by block, with the one before, and
  // scrolled to the first block whose text changed (the clause the edited field reaches), which is marked
  // for a moment. Blocks without a box (the running headers) are not looked at: they cannot be shown.
  let shownTexts = null;
  preview.addEventListener("load", function () {
    const doc = preview.contentDocument;
    if (!doc || !doc.body) return;
    if (!doc.querySelector("section.part")) { shownTexts = null; return; }  // the placeholder: nothing to compare
    const blocks = Array.from(doc.body.querySelectorAll("h1, h2, h3, h4, p, li, td, th")).filter(function (b) {
      return b.getClientRects().length > 0;
    });
    const texts = blocks.map(function (b) { return b.textContent; });
    const before = shownTexts;
    shownTexts = texts;
    if (!before) return;
    const n = texts.findIndex(function (text, i) { return text !== before[i]; });
    if (n < 0) return;
    const block = blocks[n];
    const scroller = doc.scrollingElement || doc.documentElement;
    // Not scrollIntoView: it would scroll this page too, away from the field being edited.
    const top = block.getBoundingClientRect().top + scroller.scrollTop - preview.clientHeight / 3;
    scroller.scrollTo({ top: Math.max(0, top) });
    block.classList.add("changed");
  });

  function changed() {
    applyConditions();
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }
  function edited(event) {
    if (event.target.name) touched.add(event.target.name);
    changed();
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);

  async function firstErrorOrNothing() {
    showAll = true;
    const errors = await check();
    if (errors) {
      const first = form.querySelector('[aria-invalid="true"]') || summary.querySelector("a");
      if (first) first.focus();
      return true;
    }
    return false;
  }

  async function download(path, fallback) {
    if (await firstErrorOrNothing()) return;
    status.textContent = "正在生成……";
    const response = await api(path, collect());
    if (!response.ok) {
      const payload = await response.json();
      status.textContent = payload.error || "生成失败";
      return;
    }
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = match ? decodeURIComponent(match[1]) : fallback;
    // Attached and revoked later: Chromium drops the download of a detached link whose blob is revoked at once.
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    status.textContent = "已下载 " + link.download;
  }

  for (const button of document.querySelectorAll("[data-download]")) {
    button.addEventListener("click", function () { download(button.dataset.download, button.dataset.name); });
  }
  // 打开 YAML: the file is read here and sent to the server, which gives back the form filled from it.
  const opener = document.getElementById("open-file");
  document.getElementById("open").addEventListener("click", function () { opener.click(); });
  opener.addEventListener("change", async function () {
    const file = opener.files[0];
    opener.value = "";
    if (!file) return;
    const query = "?type=" + encodeURIComponent(controlValue("type")) + "&name=" + encodeURIComponent(file.name);
    const response = await fetch("/api/form" + query, {
      method: "POST", headers: { "X-Contractgen-Token": token, "Content-Type": "application/yaml" },
      body: await file.arrayBuffer(),
    });
    const payload = await response.json();
    if (!response.ok) { status.textContent = payload.error; return; }
    const opened = new DOMParser().parseFromString(payload.form, "text/html").getElementById("spec-form");
    form.replaceChildren(...opened.childNodes);
    touched.clear();
    showAll = true;  // a file opened: every problem at once, as when serve starts with SPEC
    shownTexts = null;
    status.textContent = "已打开 " + payload.name;
    changed();
  });

  // The bar's height, for what sticks below it (it wraps to two lines on a narrow window).
  const bar = document.querySelector("header");
  function measureBar() { document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px"); }
  new ResizeObserver(measureBar).observe(bar);

  const save = document.getElementById("save");
  if (save) save.addEventListener("click", async function () {
    const response = await api("/api/spec", collect(), "PUT");
    const payload = await response.json();
    status.textContent = response.ok ? "已保存到 " + payload.saved : payload.error;
  });

  preview.srcdoc = '<p style="font: 15px/1.8 sans-serif; color: #667; margin: 2em">' +
    "合同预览：表单没有错误时，这里显示合同的样子，随填写更新。</p>";
  showAll = form.dataset.filled === "1";  // opened filled from a file: every problem at once
  applyConditions();
  check();
})();
