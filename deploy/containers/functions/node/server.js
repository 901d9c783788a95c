// A function perfaas did not build: a plain Node.js HTTP server, as a node function's handler would
// serve behind of-watchdog. GET /?n=N sums primes below N in a function of its own name, so a flame
// graph shows whether JavaScript frames resolved (from the perf map --perf-basic-prof writes).
'use strict';
const http = require('http');

function sumPrimesBelow(n) {
  let sum = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) {
      if (i % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) sum += i;
  }
  return sum;
}

// GET /?mb=N keeps N more MiB, filled so that the pages are really used: a handler that leaks until
// its container's memory limit has the kernel's OOM killer end it.
const kept = [];

http.createServer((req, res) => {
  const params = new URL(req.url, 'http://fn').searchParams;
  const mb = Number(params.get('mb')) || 0;
  if (mb > 0) {
    kept.push(Buffer.alloc(Math.min(mb, 1024) * 1048576, 1));
    res.end('kept ' + kept.length + '\n');
    return;
  }
  const n = Number(params.get('n')) || 200000;
  res.end('sum ' + sumPrimesBelow(Math.min(n, 10000000)) + '\n');
}).listen(Number(process.env.PORT || 8080));
