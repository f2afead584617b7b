// The peer echo server of bench/websocket/ws_echo_bench.sh: Node's `ws` package (installed by
// the script into a scratch directory, never committed), echoing every message with its type.
// Usage: NODE_PATH=<dir>/node_modules node node_ws_echo.js PORT
"use strict";
const { WebSocketServer } = require("ws");
const port = Number(process.argv[2]);
const wss = new WebSocketServer({ host: "127.0.0.1", port, path: "/ws/echo", maxPayload: 1 << 20 });
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on("listening", () => console.error(`node ws echo on ${port}`));
