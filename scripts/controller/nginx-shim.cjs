#!/usr/bin/env node
// The `nginx` the real ingress-nginx controller runs here (NGINX_BINARY, internal/ingress/controller/util.go
// NewNginxCommand of controller-v1.15.1). It records every call and the configuration it was given into
// $EDGE_NGINX_SHIM_DIR and answers like nginx does:
//   nginx -c <file> -t          `testTemplate` (nginx.go 644-671): copies <file>, prints nginx's "syntax is ok" lines
//   nginx -c <conf> -s reload   `OnUpdate` (nginx.go 748-751): copies the written /etc/nginx/nginx.conf
//   nginx -c <conf> -s quit     `Stop` (nginx.go 383-431)
//   nginx -c <conf>             `Start` (nginx.go 272-319): stays in the foreground as the master (the template has
//                               `daemon off;`), writes the pid file the health check reads (nginx.PID, internal/nginx/
//                               main.go 46; checker.go), and serves what the controller talks to: the status server on
//                               127.0.0.1:10246 (internal/nginx/main.go 49, StatusPort: /healthz, /nginx_status,
//                               POST /configuration/{backends,general,servers}, configureDynamically nginx.go 868-) and
//                               the stream configuration socket 127.0.0.1:10247 (StreamPort, updateStreamConfiguration).
// It does not run nginx: the configuration is checked by comparing it with the harness (scripts/controller/compare.ts).
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const dir = process.env.EDGE_NGINX_SHIM_DIR;
if (!dir) {
  process.stderr.write('nginx shim: EDGE_NGINX_SHIM_DIR is not set\n');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
const args = process.argv.slice(2);
const seq = () => `${Date.now()}-${process.pid}`;
const record = (entry) =>
  fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
const opt = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const conf = opt('-c') || '/etc/nginx/nginx.conf';
const signal = opt('-s');

if (args.includes('-v') || args.includes('-V')) {
  process.stderr.write('nginx version: nginx/1.27.1 (edge shim)\n');
  process.exit(0);
}
if (args.includes('-t')) {
  const copy = path.join(dir, `test-${seq()}.conf`);
  fs.copyFileSync(conf, copy);
  record({ call: 'test', args, copy });
  process.stderr.write(
    `nginx: the configuration file ${conf} syntax is ok\nnginx: configuration file ${conf} test is successful\n`,
  );
  process.exit(0);
}
const pidFile = '/tmp/nginx/nginx.pid';
if (signal) {
  const entry = { call: signal, args };
  // nginx -s signals the master named in the pid file (quit: SIGQUIT, stop: SIGTERM); the controller started the
  // master in its own process group (nginx.go Start, Setpgid), so this is what ends it.
  const sig = { quit: 'SIGQUIT', stop: 'SIGTERM' }[signal];
  if (sig) {
    try {
      process.kill(Number(fs.readFileSync(pidFile, 'utf8')), sig);
    } catch {
      /* no master */
    }
  }
  if (signal === 'reload' && fs.existsSync(conf)) {
    entry.copy = path.join(dir, `reload-${seq()}.conf`);
    fs.copyFileSync(conf, entry.copy);
  }
  record(entry);
  process.exit(0);
}

// master
record({ call: 'start', args });
fs.mkdirSync(path.dirname(pidFile), { recursive: true });
fs.writeFileSync(pidFile, String(process.pid));
const posted = {};
const status = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    const url = req.url || '/';
    if (req.method === 'POST' && url.startsWith('/configuration/')) {
      const name = url.slice('/configuration/'.length).replace(/[^a-z0-9-]/gi, '_');
      posted[url] = body;
      fs.writeFileSync(path.join(dir, `dynamic-${name}.json`), body);
      record({ call: 'post', url, bytes: body.length });
      res.writeHead(201).end();
    } else if (url.startsWith('/configuration/')) {
      res.writeHead(posted[url] ? 200 : 404).end(posted[url] || '');
    } else if (url === '/nginx_status') {
      res
        .writeHead(200)
        .end('Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n');
    } else if (url === '/healthz' || url === '/is-dynamic-lb-initialized') {
      res.writeHead(200).end('ok');
    } else {
      res.writeHead(404).end();
    }
  });
});
status.listen(10246, '127.0.0.1');
const stream = net.createServer((sock) => {
  let body = '';
  sock.on('data', (c) => {
    body += c;
  });
  sock.on('end', () => {
    fs.writeFileSync(path.join(dir, 'dynamic-stream.json'), body);
    record({ call: 'stream', bytes: body.length });
  });
});
stream.listen(10247, '127.0.0.1');
const stop = () => {
  record({ call: 'exit' });
  try {
    fs.unlinkSync(pidFile);
  } catch {
    /* gone */
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGQUIT', stop);
process.on('SIGINT', stop);
// Unlike nginx, also end with the controller (it is killed when a test ends, maybe without `nginx -s quit`).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
