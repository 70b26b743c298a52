// The read-along player: highlights the sentence being read, plays from any sentence,
// and keeps the reader's place, speed and themes in this browser (localStorage).
// Plain JavaScript on purpose: no framework, no build step, nothing from the network.
"use strict";

(function () {
  var STORE = "publisher:";
  var data = JSON.parse(document.getElementById("publisher-clips").textContent);
  var root = document.documentElement;
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

  function load(key, fallback) {
    try {
      var value = window.localStorage.getItem(STORE + key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback; // storage refused (private mode, file:// in some browsers)
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(STORE + key, JSON.stringify(value));
    } catch (error) {
      // The player works without remembering.
    }
  }

  function clock(seconds) {
    var whole = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // --- display preferences, shared by every book ---

  function toggle(id, key, apply) {
    var button = document.getElementById(id);
    var on = load(key, null);
    if (on === null) on = apply(null);
    function set(value) {
      apply(value);
      if (button) button.setAttribute("aria-pressed", value ? "true" : "false");
    }
    set(on);
    if (button) {
      button.addEventListener("click", function () {
        on = !on;
        save(key, on);
        set(on);
      });
    }
    return function () { return on; };
  }

  function theme(name) {
    return function (on) {
      if (on === null) return false;
      root.classList.toggle("theme-" + name, on);
      return on;
    };
  }

  toggle("large", "large", theme("large"));
  toggle("contrast", "contrast", theme("contrast"));
  var announcing = toggle("announce", "announce", function (on) {
    return on === null ? data.announce === "polite" : on;
  });

  var place = load("place:" + data.book, null);

  if (data.chapter === null) {
    showResume();
    return;
  }

  function showResume() {
    var resume = document.getElementById("resume");
    if (!resume || !place || !data.pages) return;
    if (!Object.prototype.hasOwnProperty.call(data.pages, place.page)) return;
    var link = document.createElement("a");
    link.href = place.page;
    link.textContent =
      "Continue listening: " + data.pages[place.page] + ", at " + clock(place.time);
    resume.appendChild(link);
    resume.hidden = false;
  }

  // --- the chapter: its clips and the elements they highlight ---

  var audio = document.getElementById("audio");
  var playButton = document.getElementById("play");
  var where = document.getElementById("where");
  var status = document.getElementById("status");
  var announcer = document.getElementById("announcer");
  var speed = document.getElementById("speed");
  var page = decodeURIComponent(window.location.pathname.split("/").pop() || "");

  var clips = [];
  data.clips.forEach(function (clip) {
    var element = document.getElementById(clip[0]);
    if (!element) return;
    element.classList.add("ra-unit");
    element.setAttribute("tabindex", clips.length === 0 ? "0" : "-1");
    element.dataset.clip = String(clips.length);
    clips.push({ element: element, start: clip[1], end: clip[2], paragraph: clip[3] });
  });

  var current = -1;

  function clipAt(time) {
    // The last clip started at or before ``time``: a pause keeps the sentence before it.
    var low = 0;
    var high = clips.length - 1;
    var found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (clips[middle].start <= time + 0.001) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  function inView(element) {
    var box = element.getBoundingClientRect();
    var bar = document.getElementById("player").getBoundingClientRect().bottom;
    return box.top >= bar && box.bottom <= window.innerHeight;
  }

  function highlight(index) {
    if (index === current) return;
    if (current >= 0) {
      clips[current].element.classList.remove("ra-current");
      clips[current].element.removeAttribute("aria-current");
      clips[current].element.setAttribute("tabindex", "-1");
    }
    current = index;
    if (index < 0) return;
    var element = clips[index].element;
    element.classList.add("ra-current");
    element.setAttribute("aria-current", "true");
    element.setAttribute("tabindex", "0");
    if (!inView(element)) {
      element.scrollIntoView({ block: "center", behavior: reduced.matches ? "auto" : "smooth" });
    }
    if (where) where.textContent = "Sentence " + (index + 1) + " of " + clips.length;
    if (announcing() && !audio.paused && announcer) announcer.textContent = element.textContent;
  }

  function follow() {
    highlight(clipAt(audio.currentTime));
    if (!audio.paused) window.requestAnimationFrame(follow);
  }

  function play() {
    var started = audio.play();
    if (started && started.catch) {
      started.catch(function (error) {
        // Refused until the reader presses something (autoplay); a pause that came
        // first (AbortError) is not worth a word.
        if (status && error && error.name === "NotAllowedError") {
          status.textContent = "Press Play or Space to start.";
        }
      });
    }
  }

  function seek(index, andPlay) {
    if (index < 0 || index >= clips.length) return;
    audio.currentTime = clips[index].start;
    highlight(index);
    if (andPlay) play();
  }

  function move(step) {
    var from = current < 0 ? clipAt(audio.currentTime) : current;
    seek(Math.max(0, Math.min(clips.length - 1, from + step)), !audio.paused);
  }

  function moveParagraph(step) {
    var from = current < 0 ? Math.max(0, clipAt(audio.currentTime)) : current;
    var paragraph = clips[from].paragraph;
    var index = from;
    if (step > 0) {
      while (index < clips.length - 1 && samePara(index, paragraph)) index += 1;
      if (samePara(index, paragraph)) return;
    } else {
      // Back to this paragraph's start, or from its start to the one before's.
      while (index > 0 && samePara(index - 1, paragraph)) index -= 1;
      if (index === from && index > 0) {
        index -= 1;
        var before = clips[index].paragraph;
        while (index > 0 && samePara(index - 1, before)) index -= 1;
      }
    }
    seek(index, !audio.paused);
  }

  function samePara(index, paragraph) {
    var other = clips[index].paragraph;
    return paragraph !== null && other === paragraph;
  }

  function focusCurrent() {
    if (current >= 0) clips[current].element.focus();
  }

  // --- controls ---

  // A phone's lock screen and a headset's buttons: play, pause, and by sentence.
  if ("mediaSession" in navigator && window.MediaMetadata) {
    navigator.mediaSession.metadata = new MediaMetadata({
      title: data.title, artist: data.author || "", album: data.bookTitle || "",
    });
    navigator.mediaSession.setActionHandler("previoustrack", function () { move(-1); });
    navigator.mediaSession.setActionHandler("nexttrack", function () { move(1); });
  }

  playButton.addEventListener("click", function () {
    if (audio.paused) play();
    else audio.pause();
  });
  document.getElementById("previous").addEventListener("click", function () { move(-1); });
  document.getElementById("next").addEventListener("click", function () { move(1); });

  var rate = String(load("speed", "1"));
  if (!Array.prototype.some.call(speed.options, function (o) { return o.value === rate; })) {
    rate = "1";
  }
  speed.value = rate;
  audio.playbackRate = Number(rate);
  audio.defaultPlaybackRate = Number(rate);
  speed.addEventListener("change", function () {
    audio.playbackRate = Number(speed.value);
    audio.defaultPlaybackRate = Number(speed.value);
    save("speed", speed.value);
  });

  audio.addEventListener("play", function () {
    playButton.textContent = "Pause";
    if (status) status.textContent = "";
    window.requestAnimationFrame(follow);
  });
  audio.addEventListener("pause", function () {
    playButton.textContent = "Play";
    remember();
  });
  audio.addEventListener("seeked", function () { highlight(clipAt(audio.currentTime)); });
  audio.addEventListener("ratechange", function () {
    var value = String(audio.playbackRate);
    if (speed.value !== value) {
      var known = Array.prototype.some.call(speed.options, function (o) { return o.value === value; });
      if (known) speed.value = value;
    }
  });
  audio.addEventListener("ended", function () {
    if (data.next) {
      leaving = true;
      save("place:" + data.book, { page: data.next, time: 0, playing: true });
      window.location.href = data.next;
    }
  });

  // Clicking a sentence plays from it, unless the reader was selecting text or
  // following a link inside it.
  document.getElementById("text").addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest("a, button, input, textarea, select")) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    var unit = target.closest(".ra-unit");
    if (unit) seek(Number(unit.dataset.clip), true);
  });

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable], dialog");
  }

  function onControl(target) {
    return target.closest && target.closest("button, a, audio, summary");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    if (typing(target)) return;
    var inText = target.closest && target.closest(".ra-unit");
    switch (event.key) {
      case " ":
        if (onControl(target)) return; // a button's own Space presses it
        event.preventDefault();
        if (audio.paused) play();
        else audio.pause();
        return;
      case "Enter":
        if (!inText || onControl(target)) return;
        event.preventDefault();
        seek(Number(inText.dataset.clip), true);
        return;
      case "ArrowRight":
      case "ArrowLeft":
      case "ArrowDown":
      case "ArrowUp":
        if (onControl(target) && !inText) return;
        event.preventDefault();
        var rtl = root.dir === "rtl";
        if (event.key === "ArrowDown") moveParagraph(1);
        else if (event.key === "ArrowUp") moveParagraph(-1);
        else move((event.key === "ArrowRight") !== rtl ? 1 : -1);
        if (inText || target === document.body || target.id === "text") focusCurrent();
        return;
      default:
        return;
    }
  });

  // --- the reader's place ---

  var lastSaved = 0;
  var leaving = false; // for the next chapter, whose place is already kept

  function remember() {
    if (leaving) return;
    save("place:" + data.book, { page: page, time: audio.currentTime, playing: false });
  }

  audio.addEventListener("timeupdate", function () {
    var now = Date.now();
    if (now - lastSaved > 2000) {
      lastSaved = now;
      remember();
    }
  });
  window.addEventListener("pagehide", remember);

  function resume() {
    if (!place || place.page !== page) return;
    if (place.time > 0 && place.time < audio.duration) {
      audio.currentTime = place.time;
      highlight(clipAt(place.time));
      if (status) status.textContent = "Resumed at " + clock(place.time) + ".";
    }
    if (place.playing) play();
  }

  if (audio.readyState >= 1) resume();
  else audio.addEventListener("loadedmetadata", resume, { once: true });
})();
