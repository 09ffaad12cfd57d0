// Miroir local web chat: draws the neutral replies the server sends; no framework, no CDN.
"use strict";

const api = "/chat/api";
const state = { person: null, version: -1, ui: {}, openComment: null, drafts: {} };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method, headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = new Error(data.error || data.detail || response.statusText);
    err.status = response.status;
    throw err;
  }
  return data;
}

function applyUi(ui) {
  state.ui = ui;
  document.documentElement.lang = ui.locale || "en";
  document.title = ui.title || "Miroir";
  for (const node of document.querySelectorAll("[data-ui]")) node.textContent = ui[node.dataset.ui] || "";
  $("command").placeholder = ui.input_placeholder || "";
}

function status(text, isError) {
  const node = $("status");
  node.textContent = isError ? `${state.ui.error} ${text}` : text;
  node.classList.toggle("error", Boolean(isError));
}

// --- the person picker -------------------------------------------------------------------
async function loadPeople() {
  const box = $("people");
  let listing;
  try { listing = await call("GET", "/people"); }
  catch (err) {
    if (err.status !== 401) throw err;
    // Outside demo mode the chat acts only as the signed-in person: send them to sign in.
    box.replaceChildren(el("p", { class: "hint", text: state.ui.sign_in }),
      el("a", { class: "primary button-link", href: "/dashboard/signin" }, state.ui.sign_in_action));
    return;
  }
  const { people, demo } = listing;
  state.demo = demo;
  box.replaceChildren();
  if (!demo && people.length === 1) {
    // A signed-in person: no picker, the chat is theirs.
    $("people-panel").hidden = true;
    $("change-person").hidden = true;
    $("send-pulse").hidden = true;
    if (state.person !== people[0].id) choose(people[0].id);
    return;
  }
  if (!people.length) { box.append(el("p", { class: "empty", text: state.ui.no_people })); return; }
  const teams = new Map();
  for (const p of people) {
    const key = p.team_name || "—";
    if (!teams.has(key)) teams.set(key, []);
    teams.get(key).push(p);
  }
  for (const [team, members] of teams) {
    box.append(el("div", { class: "team-group" }, el("h3", { text: team }), members.map((p) =>
      el("button", { type: "button", class: "person", "data-person": p.id,
                     "aria-current": state.person === p.id ? "true" : null,
                     onclick: () => choose(p.id) },
         el("span", { text: p.name }), el("span", { class: `role ${p.role}`, text: state.ui[p.role] || p.role })))));
  }
}

function choose(personId) {
  state.person = personId;
  state.version = -1;
  localStorage.setItem("miroir.person", personId);
  location.hash = `p=${encodeURIComponent(personId)}`;
  $("chat").hidden = false;
  $("channel-panel").hidden = false;
  $("me").hidden = false;
  for (const b of document.querySelectorAll(".person")) {
    b.setAttribute("aria-current", b.dataset.person === personId ? "true" : "false");
  }
  refresh(true);
}

// --- the conversation -----------------------------------------------------------------
async function refresh(force) {
  if (!state.person) return;
  let data;
  try { data = await call("GET", `/people/${encodeURIComponent(state.person)}/inbox`); }
  catch (err) { status(err.message, true); return; }
  if (!force && data.version === state.version) return;
  const localeChanged = data.ui.locale !== state.ui.locale;
  state.version = data.version;
  applyUi(data.ui);
  $("me-name").textContent = `${data.person.name} · ${state.ui[data.person.role] || data.person.role}`
    + (data.person.team_name ? ` · ${data.person.team_name}` : "");
  $("team-name").textContent = data.person.team_name || "";
  drawMessages($("messages"), data.messages, state.ui.empty_inbox, true);
  drawMessages($("channel"), data.channel, state.ui.empty_channel, false);
  if (localeChanged) loadPeople();
}

function drawMessages(list, messages, emptyText, interactive) {
  list.replaceChildren();
  if (!messages.length) { list.append(el("li", { class: "empty", text: emptyText })); return; }
  for (const message of messages) {
    const item = el("li", { class: `msg ${message.author}`, "data-message": message.id });
    if (message.author === "me") item.append(el("div", { class: "bubble", text: message.text }));
    for (const reply of message.replies) item.append(drawReply(reply, message.id, interactive));
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

function drawReply(reply, messageId, interactive) {
  switch (reply.type) {
    case "survey": return drawSurvey(reply, messageId, interactive);
    case "comment_request": return drawCommentRequest(reply, messageId, interactive);
    case "thanks": return el("div", { class: "bubble thanks" },
      el("div", { class: "title", text: reply.title }), el("div", { text: reply.text }));
    case "kudos": return el("div", { class: "bubble kudos" },
      el("div", { class: "title", text: `★ ${reply.headline}` }),
      el("div", { class: "quote", text: quote(reply.message) }),
      reply.value_tag ? el("span", { class: "tag", text: `#${reply.value_tag}` }) : null);
    case "help": return el("div", { class: "bubble help" },
      el("div", { class: "title", text: reply.title }),
      el("ul", {}, reply.lines.map((line) => el("li", { text: line }))));
    case "notice": return el("div", { class: `bubble${reply.private ? " private" : ""}` },
      el("span", {}, linkified(reply.text)),
      reply.private ? el("span", { class: "badge", text: state.ui.private }) : null);
    default: return el("div", { class: "bubble", text: JSON.stringify(reply) });
  }
}

// Links in a notice (the dashboard sign-in link) become anchors; the rest stays plain text.
function linkified(text) {
  return text.split(/(https?:\/\/[^\s]+)/).map((part, i) =>
    i % 2 ? el("a", { href: part, class: "notice-link" }, part) : document.createTextNode(part));
}

function quote(text) {
  return state.ui.locale === "fr" ? `«\u00a0${text}\u00a0»` : `“${text}”`;
}

function drawSurvey(prompt, messageId, interactive) {
  const key = `${prompt.round_id}:${prompt.question_id}`;
  const box = el("div", { class: "bubble survey", "data-question": prompt.question_id });
  if (prompt.intro) box.append(el("div", { class: "intro", text: prompt.intro }));
  box.append(el("div", { class: "question", text: prompt.question }));
  const scale = el("div", { class: "scale", role: "group", "aria-label": prompt.question });
  for (const choice of prompt.choices) {
    scale.append(el("button", {
      type: "button", class: "choice", "data-value": choice.value.value, disabled: !interactive,
      onclick: (event) => {
        for (const b of scale.querySelectorAll("button")) b.disabled = true;
        act({ kind: "answer", message_id: messageId, value: choice.value }, event);
      },
    }, choice.label));
  }
  box.append(scale, el("div", { class: "ends" },
    el("span", { text: prompt.low_label }), el("span", { text: prompt.high_label })));
  if (prompt.allow_comment && interactive) {
    const holder = el("div");
    const open = () => holder.replaceChildren(commentForm(prompt.round_id, messageId,
      state.ui.comment_placeholder, state.ui.send, () => { state.openComment = null; holder.replaceChildren(toggle); }));
    const toggle = el("button", { type: "button", class: "link add-comment",
      onclick: () => { state.openComment = key; open(); } }, prompt.comment_label);
    holder.append(toggle);
    if (state.openComment === key) open();
    box.append(holder);
  }
  if (prompt.footer) box.append(el("div", { class: "footer", text: prompt.footer }));
  return box;
}

function drawCommentRequest(request, messageId, interactive) {
  const box = el("div", { class: "bubble comment-request" }, el("div", { class: "title", text: request.title }));
  if (interactive) box.append(commentForm(request.round_id, messageId, request.placeholder, request.submit_label));
  return box;
}

function commentForm(roundId, messageId, placeholder, submitLabel, onCancel) {
  const area = el("textarea", { class: "comment", name: "comment", maxlength: "2000", placeholder });
  // the page redraws when a message arrives: keep what the person was typing
  area.value = state.drafts[roundId] || "";
  area.addEventListener("input", () => { state.drafts[roundId] = area.value; });
  const form = el("form", { class: "comment-form", onsubmit: (event) => {
    event.preventDefault();
    if (!area.value.trim()) { area.focus(); return; }
    state.openComment = null;
    delete state.drafts[roundId];
    act({ kind: "comment", message_id: messageId, round_id: roundId, text: area.value }, event);
  } }, area, el("div", { class: "row" },
    el("button", { type: "submit", class: "primary send-comment" }, submitLabel),
    onCancel ? el("button", { type: "button", class: "secondary", onclick: onCancel }, state.ui.cancel) : null));
  return form;
}

async function act(body) {
  if (!state.person) return;
  try { await call("POST", `/people/${encodeURIComponent(state.person)}/actions`, body); status(""); }
  catch (err) { status(err.message, true); }
  await refresh(true);
}

async function sendPulse() {
  const button = $("send-pulse");
  button.disabled = true;
  try {
    await call("POST", `/people/${encodeURIComponent(state.person)}/pulse`);
    status(state.ui.pulse_sent);
  } catch (err) { status(err.message, true); }
  button.disabled = false;
  await refresh(true);
}

async function start() {
  const guess = (navigator.language || "en").slice(0, 2);
  applyUi(await call("GET", `/ui?locale=${encodeURIComponent(guess)}`));
  await loadPeople();
  $("send-pulse").addEventListener("click", sendPulse);
  $("change-person").addEventListener("click", () => {
    state.person = null;
    localStorage.removeItem("miroir.person");
    history.replaceState(null, "", location.pathname);
    for (const id of ["chat", "channel-panel", "me"]) $(id).hidden = true;
    for (const b of document.querySelectorAll(".person")) b.setAttribute("aria-current", "false");
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("command").value.trim();
    if (!text) return;
    $("command").value = "";
    act({ kind: "command", text });
  });
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("p");
  const remembered = fromHash || localStorage.getItem("miroir.person");
  if (remembered && document.querySelector(`[data-person="${CSS.escape(remembered)}"]`)) choose(remembered);
  setInterval(() => refresh(false), 1500);
}

start().catch((err) => status(err.message, true));
