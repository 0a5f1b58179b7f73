// puppeteer arrives only as a dependency of @memlab/heap-analysis (bench:heap's anchor), which
// analyses snapshot files and never starts a browser: skip the Chrome download its install runs.
module.exports = { skipDownload: true };
