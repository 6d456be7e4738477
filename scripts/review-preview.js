#!/usr/bin/env node
/*
 * The review comment as GitHub shows it, for a look in a real browser (scripts/render-review.sh drives it).
 *
 *   node scripts/review-preview.js html COMMENT.md OUT.html
 *       GitHub-styled HTML of the comment. A small converter for the Markdown the renderer writes (headings, alerts,
 *       lists, pipe tables, <details>/<summary>/<sub>, inline code, bold, italics, links, bare URLs, hard breaks); the
 *       `marked` package is not a dependency of this project.
 *   node --experimental-websocket scripts/review-preview.js screenshot IN.html OUT.png [--expand] [--tiles=PX]
 *       A full-page PNG through headless Chromium's DevTools protocol (CHROMIUM=path, default `chromium`); --expand
 *       opens every <details> first, to see what the folds hold; --tiles=1200 writes OUT-1.png, OUT-2.png, … of
 *       1200 pixels each instead, to read a long comment at full size.
 *
 * No dependencies beyond Node 20 and, for screenshots, a Chromium binary.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");

// ── Markdown → HTML ────────────────────────────────────────────────────────────────────────────────────────────────

const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Inline Markdown: code spans first (their content is literal), then links, bold, italics, bare URLs. */
function inline(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === "`") {
      let n = 0;
      while (text[i + n] === "`") n++;
      const fence = "`".repeat(n);
      const end = text.indexOf(fence, i + n);
      if (end > 0) {
        let code = text.slice(i + n, end);
        if (n > 1 && code.startsWith(" ") && code.endsWith(" ")) code = code.slice(1, -1);
        out.push({ html: `<code>${escapeHtml(code)}</code>` });
        i = end + n;
        continue;
      }
    }
    let j = text.indexOf("`", i + 1);
    if (j < 0) j = text.length;
    out.push({ text: text.slice(i, j) });
    i = j;
  }
  return out
    .map((p) => {
      if (p.html) return p.html;
      let t = escapeHtml(p.text);
      // raw HTML GitHub keeps in comments: <sub>, <br>
      t = t.replace(/&lt;(\/?)(sub|br)&gt;/g, "<$1$2>");
      t = t.replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label, url) => `<a href="${url}">${label}</a>`);
      t = t.replace(/(^|[\s(])(https?:\/\/[^\s<)]*[^\s<).,;:])/g, (_m, pre, url) => `${pre}<a href="${url}">${url}</a>`);
      t = t.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
      t = t.replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\w)/g, "$1<em>$2</em>");
      return t;
    })
    .join("");
}

function splitRow(line) {
  const cells = [];
  let cur = "";
  let inCode = 0;
  const body = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\" && body[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (c === "`") {
      inCode = inCode ? 0 : 1;
      cur += c;
    } else if (c === "|" && !inCode) {
      cells.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

const ALERTS = {
  NOTE: { color: "#0969da", icon: "ⓘ", title: "Note" },
  TIP: { color: "#1a7f37", icon: "💡", title: "Tip" },
  IMPORTANT: { color: "#8250df", icon: "❕", title: "Important" },
  WARNING: { color: "#9a6700", icon: "⚠", title: "Warning" },
  CAUTION: { color: "#d1242f", icon: "⛔", title: "Caution" },
};

/** Block-level Markdown of the comment. */
function markdownToHtml(md) {
  const lines = md.replace(/<!--[\s\S]*?-->/g, "").split("\n");
  const html = [];
  let para = [];
  const flush = () => {
    if (para.length === 0) return;
    // two trailing spaces: a hard line break
    html.push(`<p>${para.map((l, k) => inline(l.replace(/ {2,}$/, "")) + (k < para.length - 1 && / {2,}$/.test(l) ? "<br>" : "")).join("\n")}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") {
      flush();
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      html.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
      continue;
    }
    if (/^<\/?details|^<summary|^<\/summary/.test(line.trim())) {
      flush();
      // <details open><summary>text</summary>: GitHub keeps the HTML, the summary text is not Markdown
      html.push(line.replace(/<summary>(.*?)<\/summary>/, (_m, t) => `<summary>${escapeHtml(t)}</summary>`));
      continue;
    }
    if (line.startsWith(">")) {
      flush();
      const quoted = [];
      while (i < lines.length && lines[i].startsWith(">")) quoted.push(lines[i++].replace(/^> ?/, ""));
      i--;
      const alert = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$/.exec(quoted[0] ?? "");
      const body = markdownToHtml(alert ? quoted.slice(1).join("\n") : quoted.join("\n"));
      if (alert) {
        const a = ALERTS[alert[1]];
        html.push(
          `<div class="markdown-alert" style="border-left-color:${a.color}"><p class="markdown-alert-title" style="color:${a.color}">` +
            `<span class="icon">${a.icon}</span>${a.title}</p>${body}</div>`,
        );
      } else html.push(`<blockquote>${body}</blockquote>`);
      continue;
    }
    if (/^\s*- /.test(line)) {
      flush();
      const items = [];
      while (i < lines.length && /^\s*- /.test(lines[i])) items.push(lines[i++].replace(/^\s*- /, ""));
      i--;
      html.push(`<ul>${items.map((it) => `<li>${inline(it)}</li>`).join("")}</ul>`);
      continue;
    }
    if (line.startsWith("|") && /^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? "")) {
      flush();
      const head = splitRow(line);
      const rows = [];
      i += 2;
      while (i < lines.length && lines[i].startsWith("|")) rows.push(splitRow(lines[i++]));
      i--;
      html.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join("")}</tr></thead><tbody>` +
          rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("") +
          "</tbody></table>",
      );
      continue;
    }
    para.push(line);
  }
  flush();
  return html.join("\n");
}

// A condensed github-markdown-css (light), inside a comment frame like a pull request's timeline.
const CSS = `
body { margin: 0; padding: 24px; background: #fff; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji";
  font-size: 14px; line-height: 1.5; color: #1f2328; }
.comment { max-width: 880px; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; border-radius: 6px 6px 0 0; }
.comment-header strong { color: #1f2328; }
.markdown-body { padding: 16px; word-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
h3, h4 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
h3 { font-size: 1.25em; } h4 { font-size: 1em; }
p, ul, table, details, blockquote, .markdown-alert { margin: 0 0 16px; }
ul { padding-left: 2em; } li + li { margin-top: .25em; }
code { padding: .2em .4em; font-size: 85%; background: rgba(129,139,152,.12); border-radius: 6px; white-space: break-spaces;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; } th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
summary { cursor: pointer; } details > *:not(summary) { margin-left: 0; } details[open] > summary { margin-bottom: 16px; }
sub { font-size: 75%; color: #1f2328; }
a { color: #0969da; text-decoration: none; }
blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-alert { padding: .5rem 1rem; border-left: .25em solid; }
.markdown-alert > :last-child { margin-bottom: 0; }
.markdown-alert-title { font-weight: 500; display: flex; align-items: center; gap: 8px; margin-bottom: 4px; }
.markdown-alert ul { margin-bottom: 0; }
`;

function page(md, title) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><div class="comment"><div class="comment-header"><strong>github-actions</strong> <span>bot</span> commented</div>
<div class="markdown-body">
${markdownToHtml(md)}
</div></div></body></html>
`;
}

// ── screenshot through the DevTools protocol ──────────────────────────────────────────────────────────────────────

async function screenshot(htmlFile, pngFile, expand, tile = 0) {
  if (typeof WebSocket !== "function") throw new Error("run with node --experimental-websocket (Node 20) or Node 22+");
  const binary = process.env.CHROMIUM || "chromium";
  const profile = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "review-preview-"));
  const chrome = spawn(
    binary,
    ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  try {
    const wsUrl = await new Promise((resolve, reject) => {
      let err = "";
      const timer = setTimeout(() => reject(new Error(`${binary} did not start: ${err}`)), 20000);
      chrome.stderr.on("data", (d) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      chrome.on("exit", (code) => reject(new Error(`${binary} exited (${code}): ${err}`)));
    });
    const port = new URL(wsUrl).port;
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const target = targets.find((t) => t.type === "page");
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    let id = 0;
    const pending = new Map();
    const events = [];
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.id && pending.has(msg.id)) {
        const { resolve, reject } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(msg.error.message));
        else resolve(msg.result);
      } else if (msg.method) events.push(msg.method);
    };
    const send = (method, params = {}) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    const width = 940;
    await send("Page.enable");
    await send("Emulation.setDeviceMetricsOverride", { width, height: 800, deviceScaleFactor: 1, mobile: false });
    await send("Page.navigate", { url: `file://${path.resolve(htmlFile)}` });
    for (let t = 0; t < 100 && !events.includes("Page.loadEventFired"); t++) await new Promise((r) => setTimeout(r, 100));
    if (expand) await send("Runtime.evaluate", { expression: "document.querySelectorAll('details').forEach(d => d.open = true)" });
    const { result } = await send("Runtime.evaluate", { expression: "Math.ceil(document.documentElement.scrollHeight)", returnByValue: true });
    const height = Math.min(Number(result.value) || 800, 16000);
    await send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
    if (tile > 0) {
      // one PNG per `tile` pixels of height (out-1.png, out-2.png, …): a long comment at full resolution
      for (let y = 0, k = 1; y < height; y += tile, k++) {
        const part = await send("Page.captureScreenshot", { format: "png", clip: { x: 0, y, width, height: Math.min(tile, height - y), scale: 1 } });
        fs.writeFileSync(pngFile.replace(/\.png$/, `-${k}.png`), Buffer.from(part.data, "base64"));
      }
    } else {
      const shot = await send("Page.captureScreenshot", { format: "png", clip: { x: 0, y: 0, width, height, scale: 1 } });
      fs.writeFileSync(pngFile, Buffer.from(shot.data, "base64"));
    }
    ws.close();
    return { width, height };
  } finally {
    const exited = new Promise((resolve) => (chrome.exitCode !== null ? resolve() : chrome.once("exit", resolve)));
    chrome.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

async function main(argv) {
  const [command, input, output, ...rest] = argv;
  if (command === "html" && input && output) {
    fs.writeFileSync(output, page(fs.readFileSync(input, "utf8"), path.basename(input)));
    return;
  }
  if (command === "screenshot" && input && output) {
    const tileArg = rest.find((a) => a.startsWith("--tiles="));
    const { width, height } = await screenshot(input, output, rest.includes("--expand"), tileArg ? Number(tileArg.slice("--tiles=".length)) : 0);
    process.stderr.write(`${output}: ${width}×${height}\n`);
    return;
  }
  process.stderr.write("usage: review-preview.js html COMMENT.md OUT.html | screenshot IN.html OUT.png [--expand] [--tiles=PX]\n");
  process.exitCode = 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`review-preview: ${e.message}\n`);
    process.exitCode = 1;
  });
}

module.exports = { markdownToHtml, page };
