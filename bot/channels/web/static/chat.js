/* innspill web chat: send the page's forms without a page load.
 *
 * The page works without this script: every form posts and the server answers with a
 * redirect to the chat (post/redirect/get). Here the same post is sent with fetch, the
 * page the redirect leads to replaces the current one in place, the new messages are
 * read out through the live region, and focus moves to the new question (or stays on a
 * toggle that was pressed). Nothing is loaded from another host; no framework.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.DOMParser || !document.querySelector) {
    return;
  }
  var busy = false;

  function announce(text) {
    var region = document.getElementById("kunngjoring");
    if (!region) { return; }
    region.textContent = "";
    // A short pause lets screen readers notice the change after the region was emptied.
    window.setTimeout(function () { region.textContent = text; }, 150);
  }

  function newMessages() {
    var texts = [];
    var nodes = document.querySelectorAll("#chat [data-new] .text");
    for (var i = 0; i < nodes.length; i += 1) {
      texts.push(nodes[i].textContent.replace(/\s+/g, " ").trim());
    }
    return texts.join(" ");
  }

  function pressedAgain(name, value) {
    if (!name || value === undefined) { return null; }
    var buttons = document.querySelectorAll(".choices button[aria-pressed]");
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].name === name && buttons[i].value === value) { return buttons[i]; }
    }
    return null;
  }

  function swap(html, submitter) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var main = next.getElementById("innhold");
    var header = next.querySelector("header.site");
    if (!main) { return false; }
    document.getElementById("innhold").replaceWith(document.adoptNode(main));
    var oldHeader = document.querySelector("header.site");
    if (header && oldHeader) { oldHeader.replaceWith(document.adoptNode(header)); }
    document.title = next.title;
    document.documentElement.lang = next.documentElement.lang;
    var toggle = submitter && submitter.hasAttribute("aria-pressed")
      ? pressedAgain(submitter.name, submitter.value) : null;
    var target = document.getElementById("problem") || toggle ||
      document.getElementById("sporsmal") || document.getElementById("innhold");
    if (toggle) {
      toggle.focus();
    } else {
      announce(newMessages());
      target.focus();
    }
    return true;
  }

  function setBusy(form, on) {
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i += 1) { buttons[i].disabled = on; }
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function postNormally(form, submitter) {
    form.removeAttribute("data-enhance");
    if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-enhance")) { return; }
    event.preventDefault();
    if (busy) { return; }
    var submitter = event.submitter || null;
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    busy = true;
    setBusy(form, true);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text().then(function (text) {
        busy = false;
        if (!swap(text, submitter)) { setBusy(form, false); postNormally(form, submitter); }
      });
    }).catch(function () {
      // The network failed: post the ordinary way. The form's turn id makes a repeat harmless.
      busy = false;
      setBusy(form, false);
      postNormally(form, submitter);
    });
  });
})();
