// Underscores show in the terminal at 100 % scale with xterm's DOM renderer, the one that draws
// when there is no WebGL (the suite runs Chromium with WebGL off, as on a machine without a GPU).
import { underscoreTests } from '../pages/underscores';

underscoreTests('dom');
