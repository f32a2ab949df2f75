/** Where the transcript goes: a terminal gets colour and a live spinner, anything else plain text. */
export interface TranscriptOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

type Paint = (text: string) => string;

interface Palette {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly green: Paint;
  readonly red: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
}

const plain: Paint = (text) => text;
const sgr =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;

const COLOURS: Palette = {
  bold: sgr('1'),
  dim: sgr('2'),
  green: sgr('32'),
  red: sgr('31'),
  yellow: sgr('33'),
  cyan: sgr('36'),
};
const NO_COLOURS: Palette = { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SPINNER_INTERVAL_MS = 100;
/** Off a terminal, a dot per second shows the run is alive without flooding a log. */
const DOT_INTERVAL_MS = 1_000;
const INDENT = '   ';

export type Outcome = 'allowed' | 'blocked' | 'held' | 'info';

/** The readable record of the demo: numbered steps, the SQL each sends, and what came back. */
export class Transcript {
  private readonly paint: Palette;
  private stepNumber = 0;

  constructor(private readonly out: TranscriptOutput) {
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    const colour = out.isTTY === true && !process.env.NO_COLOR;
    this.paint = colour ? COLOURS : NO_COLOURS;
  }

  title(text: string): void {
    this.write(`\n${this.paint.bold(text)}\n`);
  }

  /** A plain line under the current step, or on its own. */
  line(text = ''): void {
    this.write(text === '' ? '\n' : `${INDENT}${text}\n`);
  }

  note(text: string): void {
    this.line(this.paint.dim(text));
  }

  step(text: string): void {
    this.stepNumber += 1;
    this.write(`\n${this.paint.bold(`${this.stepNumber}. ${text}`)}\n`);
  }

  sql(text: string, who?: string): void {
    const prompt = who ? `${who}=> ` : 'sql> ';
    const [first = '', ...rest] = text.split('\n');
    const lines = [`${prompt}${first}`, ...rest.map((line) => `${' '.repeat(prompt.length)}${line}`)];
    for (const line of lines) this.line(this.paint.cyan(line));
  }

  outcome(kind: Outcome, text: string): void {
    const label =
      kind === 'allowed'
        ? this.paint.green('allowed')
        : kind === 'blocked'
          ? this.paint.red('blocked')
          : kind === 'held'
            ? this.paint.yellow('held')
            : this.paint.yellow('note');
    this.line(`${label}  ${text}`);
  }

  /** Columns padded to their widest cell, indented under the step. */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    const widths = headers.map((header, column) =>
      Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const format = (cells: readonly string[]): string =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd();
    this.line(this.paint.bold(format(headers)));
    for (const row of rows) this.line(format(row));
  }

  /**
   * Shows that something slow is under way: a spinner with elapsed seconds on a terminal, a dot
   * per second elsewhere. Resolves or rejects with `work`, after the line is finished.
   */
  async progress<T>(label: string, work: Promise<T>, doneText: (result: T) => string): Promise<T> {
    const started = Date.now();
    const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    let frame = 0;
    const tty = this.out.isTTY === true;
    if (!tty) this.write(`${INDENT}${label} `);
    const timer = setInterval(
      () => {
        if (tty) this.write(`\r${INDENT}${SPINNER[frame++ % SPINNER.length]} ${label} ${seconds()}`);
        else this.write('.');
      },
      tty ? SPINNER_INTERVAL_MS : DOT_INTERVAL_MS,
    );
    const finish = (text: string): void => {
      clearInterval(timer);
      this.write(tty ? `\r\u001b[2K${INDENT}${label} ${text}\n` : ` ${text}\n`);
    };
    try {
      const result = await work;
      finish(`${this.paint.green(doneText(result))} (${seconds()})`);
      return result;
    } catch (error) {
      finish(this.paint.red(`failed after ${seconds()}`));
      throw error;
    }
  }

  private write(text: string): void {
    this.out.write(text);
  }
}
