// The proofing studio, added to the player's pages by `publisher studio`: choose a word
// in a sentence, give it an alias or IPA, hear the word and the sentence again, keep it
// in the book's lexicon, rebuild. Every request carries the run's token; every text the
// page shows is set as text, never as markup.
"use strict";

(function () {
  var token = document.querySelector('meta[name="publisher-studio"]').content;
  var text = document.getElementById("text");
  var onChapter = Boolean(document.getElementById("audio"));
  var chosen = null; // the sentence element the correction is for

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function field(parent, id, label, attributes) {
    var row = element("div", { class: "studio-field" });
    row.appendChild(element("label", { for: id }, label));
    var input = element("input", Object.assign({ id: id, type: "text", autocomplete: "off",
      spellcheck: "false" }, attributes || {}));
    row.appendChild(input);
    parent.appendChild(row);
    return input;
  }

  function button(parent, id, label) {
    var node = element("button", { id: id, type: "button" }, label);
    parent.appendChild(node);
    return node;
  }

  // --- the panel ---

  var panel = element("aside", { id: "studio", class: "studio", "aria-labelledby": "studio-title" });
  panel.appendChild(element("h2", { id: "studio-title" }, "Studio"));
  var flaggedBox = element("section", { id: "studio-flagged", "aria-labelledby": "studio-flagged-title" });
  flaggedBox.hidden = true;
  panel.appendChild(flaggedBox);

  var form = element("section", { id: "studio-form", "aria-labelledby": "studio-form-title" });
  form.appendChild(element("h3", { id: "studio-form-title" }, "Correct a pronunciation"));
  var sentenceLine = element("p", { id: "studio-sentence-line" });
  sentenceLine.appendChild(element("span", {}, "Sentence: "));
  var sentenceText = element("q", { id: "studio-sentence" }, "select a word in the text");
  sentenceLine.appendChild(sentenceText);
  form.appendChild(sentenceLine);
  var word = field(form, "studio-word", "Word", { maxlength: "100" });
  var kinds = element("fieldset", { class: "studio-kind" });
  kinds.appendChild(element("legend", {}, "Say it with"));
  [["alias", "Other words (an alias)"], ["ipa", "IPA"]].forEach(function (pair, index) {
    var id = "studio-kind-" + pair[0];
    var radio = element("input", { type: "radio", name: "studio-kind", id: id, value: pair[0] });
    if (index === 0) radio.checked = true;
    kinds.appendChild(radio);
    kinds.appendChild(element("label", { for: id }, pair[1]));
  });
  form.appendChild(kinds);
  var say = field(form, "studio-say", "Pronunciation", { maxlength: "200" });
  var actions = element("div", { class: "studio-actions" });
  var hearWord = button(actions, "studio-hear-word", "Hear the word");
  var hearSentence = button(actions, "studio-hear", "Hear the sentence");
  var keep = button(actions, "studio-keep", "Keep");
  var rebuild = button(actions, "studio-rebuild", "Rebuild the book");
  form.appendChild(actions);
  var phonemes = element("p", { id: "studio-phonemes", class: "studio-phonemes" });
  form.appendChild(phonemes);
  var status = element("p", { id: "studio-status", role: "status" });
  form.appendChild(status);
  var audition = element("audio", { id: "studio-audio", controls: "controls",
    "aria-label": "What the studio said" });
  audition.hidden = true;
  form.appendChild(audition);
  if (onChapter) panel.appendChild(form);
  (text || document.body).parentNode.insertBefore(panel, text);

  var left = sessionStorage.getItem("publisher-studio:status");
  if (left) {
    status.textContent = left;
    sessionStorage.removeItem("publisher-studio:status");
  }

  // --- which sentence, which word ---

  function choose(unit) {
    if (!unit) return;
    chosen = unit;
    sentenceText.textContent = unit.textContent;
  }

  function unitOf(node) {
    var at = node && node.nodeType === 3 ? node.parentNode : node;
    return at && at.closest ? at.closest(".ra-unit") : null;
  }

  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !text) return;
    var unit = unitOf(selection.anchorNode);
    if (!unit || !text.contains(unit)) return;
    var picked = selection.toString().trim().replace(/\s+/g, " ");
    if (!picked || picked.length > 100) return;
    choose(unit);
    word.value = picked.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  });

  if (text) {
    text.addEventListener("focusin", function (event) { choose(unitOf(event.target)); });
  }

  function sentence() {
    return chosen || document.querySelector(".ra-current") || document.querySelector(".ra-unit");
  }

  function kind() {
    return document.querySelector('input[name="studio-kind"]:checked').value;
  }

  // --- asking the studio ---

  function ask(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Publisher-Token": token },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  function busy(on) {
    [hearWord, hearSentence, keep, rebuild].forEach(function (b) { b.disabled = on; });
  }

  function run(message, work) {
    busy(true);
    status.textContent = message;
    return work()
      .catch(function (error) { status.textContent = "Not done: " + error.message; })
      .then(function () { busy(false); });
  }

  function listen(url) {
    var main = document.getElementById("audio");
    if (main) main.pause();
    audition.hidden = false;
    audition.src = url;
    return audition.play().catch(function () {});
  }

  function correction() {
    return { word: word.value, kind: kind(), say: say.value };
  }

  hearWord.addEventListener("click", function () {
    run("Saying the word…", function () {
      return ask("/api/word", correction()).then(function (data) {
        phonemes.textContent = data.phonemes ? "Phonemes: /" + data.phonemes + "/" : "";
        status.textContent = "Said: " + data.said;
        return listen(data.clip);
      });
    });
  });

  hearSentence.addEventListener("click", function () {
    var unit = sentence();
    if (!unit) return;
    choose(unit);
    var body = correction();
    body.sentence = unit.id;
    run("Saying the sentence…", function () {
      return ask("/api/hear", body).then(function (data) {
        status.textContent = (data.spoken ? "Narrated anew" : "From the cache") + ": " + data.said;
        return listen(data.clip);
      });
    });
  });

  keep.addEventListener("click", function () {
    run("Keeping…", function () {
      return ask("/api/keep", correction()).then(function (data) {
        status.textContent = "Kept in " + data.lexicon + ". " + data.sentences +
          (data.sentences === 1 ? " sentence says " : " sentences say ") + "“" + word.value +
          "”: rebuild the book to hear them in it.";
      });
    });
  });

  rebuild.addEventListener("click", function () {
    run("Rebuilding the book…", function () {
      return ask("/api/rebuild").then(function (data) {
        var message = "Rebuilt in " + data.seconds + " s: " + data.misses +
          " sentences narrated, " + data.hits + " from the cache.";
        status.textContent = message;
        sessionStorage.setItem("publisher-studio:status", message);
        window.location.reload();
      });
    });
  });

  // The listener's words are lower case; the lexicon needs the word as the text has it.
  function asWritten(heard, sentenceText) {
    var quoted = heard.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var found = new RegExp("(^|[^\\p{L}\\p{N}])(" + quoted + ")(?![\\p{L}\\p{N}])", "iu")
      .exec(sentenceText);
    return found ? found[2] : heard;
  }

  // --- what the proof-listener flagged, first ---

  fetch("/api/book", { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (book) {
      if (!book.flagged || !book.flagged.length) return;
      flaggedBox.hidden = false;
      flaggedBox.appendChild(element("h3", { id: "studio-flagged-title" },
        "Flagged by the proof-listener (" + book.flagged.length + ")"));
      var list = element("ol");
      book.flagged.forEach(function (item) {
        var entry = element("li");
        var link = element("a", { href: item.page + "#" + item.id }, item.said);
        link.addEventListener("click", function () {
          if (item.words.length) sessionStorage.setItem("publisher-studio:word", item.words[0]);
        });
        entry.appendChild(link);
        entry.appendChild(element("span", { class: "studio-heard" }, " heard: " + item.heard));
        list.appendChild(entry);
      });
      flaggedBox.appendChild(list);
    })
    .catch(function () {});

  var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target && target.classList.contains("ra-unit")) {
    choose(target);
    target.focus();
    var suggested = sessionStorage.getItem("publisher-studio:word");
    if (suggested) {
      word.value = asWritten(suggested, target.textContent);
      sessionStorage.removeItem("publisher-studio:word");
    }
  }
})();
