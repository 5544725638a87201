// Imported before anything that loads xterm.js in component tests: jsdom has no canvas, and xterm
// probes one at import time (surfaces are fakes in tests, so nothing draws).
HTMLCanvasElement.prototype.getContext = () => null;
