// reportmt review: keyboard editing. Part of reportmt (same licence). Without this script
// every page still reads, and the Edit forms save by a plain POST.
// j / k: next / previous sentence; n: next flagged; e or Enter: edit; Ctrl+Enter: save;
// a: accept as it is; Esc: stop editing. Saves go by fetch, so the page keeps its place.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("tr.row"));
  if (!rows.length) return;
  const formKey = document.querySelector('input[name="form_key"]').value;

  function rowOf(element) { return element && element.closest ? element.closest("tr.row") : null; }
  function focusRow(row) { if (row) { row.focus(); row.scrollIntoView({block: "nearest"}); } }
  function editor(row) { return row.querySelector("details.edit"); }

  function startEditing(row) {
    const details = editor(row);
    details.open = true;
    const text = details.querySelector("textarea");
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
  }

  // Every outcome reaches the reviewer in words; on any failure the editor stays open with
  // the typed text in it, so nothing typed is lost.
  function refuse(row, message) {
    editor(row).open = true;
    row.querySelector(".status").textContent = message;
    row.classList.add("refused");
  }

  async function submit(row, action) {
    const form = row.querySelector("form");
    const status = row.querySelector(".status");
    const data = new FormData(form);
    data.set("action", action);
    status.textContent = "Saving…";
    let response, body;
    try {
      response = await fetch(form.getAttribute("action"), {  // form.action would be the button named "action"
        method: "POST", body: data, headers: {"Accept": "application/json", "X-Reportmt-Form-Key": formKey},
      });
    } catch (error) {
      refuse(row, "Not saved: the workspace cannot be reached (is `reportmt review` running?). Your text is kept below; save again.");
      return;
    }
    try {
      body = await response.json();
    } catch (error) {
      body = {error: "the workspace answered " + response.status + " " + response.statusText};
    }
    if (!response.ok) {
      if (body.current !== undefined) {
        // Someone else saved first: what the server has now is what the next save must expect.
        form.querySelector('input[name="expected"]').value = body.current;
        setExpectedStatus(form, body.status_now);
        refuse(row, "Not saved: someone else saved this sentence first. Compare below, then keep yours or theirs.");
        showConflict(row, body);
      } else {
        refuse(row, "Not saved: " + body.error + (body.reload ? "" : " Your text is kept below."));
      }
      return;
    }
    form.querySelector('input[name="expected"]').value = body.en_text;
    setExpectedStatus(form, body.status);
    form.querySelector("textarea").value = body.en_text;
    row.querySelector(".english").innerHTML = body.en_html;  // escaped by the server
    const changes = row.querySelector(".mt-diff .diff");
    if (changes) changes.innerHTML = body.mt_diff_html || "none";  // escaped by the server
    row.querySelector(".conflict").hidden = true;
    row.classList.remove("refused");
    row.classList.add("pending");
    status.textContent = (DONE[body.status] || "Saved") + ": applied at the next run.";
    editor(row).open = false;
    focusRow(row);
  }

  const DONE = {"edited": "Saved", "accepted": "Accepted", "needs discussion": "Marked as needing discussion",
                "rejected translation": "Marked as a rejected translation"};

  function paragraph(label, text) {
    const p = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = label;
    p.append(strong, " ", text);
    return p;
  }

  // Both texts, their difference, and the two ways out; the next save expects theirs.
  function showConflict(row, body) {
    const box = row.querySelector(".conflict");
    row.querySelector(".english").textContent = body.current;  // the row reads what is saved now
    const sides = document.createElement("div");
    sides.className = "sides";  // side by side, not interleaved
    sides.append(paragraph("Theirs (saved):", body.current), paragraph("Yours:", body.submitted));
    const changes = document.createElement("p");
    if (body.diff_html) changes.innerHTML = "<strong>Yours against theirs:</strong> " + body.diff_html;  // escaped by the server
    const keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.textContent = "Keep mine";
    keepMine.addEventListener("click", function () { submit(row, "save"); });
    const keepTheirs = document.createElement("button");
    keepTheirs.type = "button";
    keepTheirs.textContent = "Keep theirs";
    keepTheirs.addEventListener("click", function () {
      row.querySelector("textarea").value = body.current;
      row.querySelector(".english").textContent = body.current;
      box.hidden = true;
      row.classList.remove("refused");
      row.querySelector(".status").textContent = "Kept theirs.";
      editor(row).open = false;
      focusRow(row);
    });
    box.replaceChildren(sides, changes, keepMine, keepTheirs);
    box.hidden = false;
  }

  rows.forEach(function (row) {
    row.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      submit(row, event.submitter ? event.submitter.value : "save");
    });
  });

  // Who else is on this document: asked now and then (asking also says this reviewer is here).
  const presence = document.querySelector(".presence");
  async function updatePresence() {
    try {
      const response = await fetch(presence.dataset.presence, {headers: {"Accept": "application/json"}});
      const others = (await response.json()).others;
      presence.textContent = others.length ? "Also working on this document: " + others.map(function (o) { return o.reviewer; }).join(", ") + "." : "";
    } catch (error) { /* the workspace is away: the next try says */ }
  }
  if (presence) setInterval(updatePresence, 15000);

  document.addEventListener("keydown", function (event) {
    const row = rowOf(document.activeElement);
    if (event.target.tagName === "TEXTAREA") {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submit(row, "save"); }
      else if (event.key === "Escape") { event.preventDefault(); editor(row).open = false; focusRow(row); }
      return;
    }
    const onControl = ["INPUT", "SELECT", "BUTTON", "SUMMARY", "A"].includes(event.target.tagName);
    // The skip link is where Tab lands first: the keys work from there too.
    if ((onControl && !event.target.classList.contains("skip")) || event.ctrlKey || event.metaKey || event.altKey) return;
    const at = row ? rows.indexOf(row) : -1;
    if (event.key === "j") { event.preventDefault(); focusRow(rows[Math.min(at + 1, rows.length - 1)]); }
    else if (event.key === "k") { event.preventDefault(); focusRow(rows[Math.max(at - 1, 0)]); }
    else if (event.key === "n") {
      event.preventDefault();
      const next = rows.slice(at + 1).find(function (r) { return r.classList.contains("flagged"); });
      if (next) focusRow(next);
    }
    else if (row && (event.key === "e" || event.key === "Enter")) { event.preventDefault(); startEditing(row); }
    else if (row && event.key === "a") { event.preventDefault(); submit(row, "accept"); }
  });

  const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  focusRow(target && target.classList.contains("row") ? target : null);
})();

// The status the next save of this row must find: what the server said it is now.
function setExpectedStatus(form, status) {
  const field = form.querySelector('input[name="expected_status"]');
  if (field && status !== undefined) field.value = status;
}
