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

http.createServer((req, res) => {
  const n = Number(new URL(req.url, 'http://fn').searchParams.get('n')) || 200000;
  res.end('sum ' + sumPrimesBelow(Math.min(n, 10000000)) + '\n');
}).listen(Number(process.env.PORT || 8080));
