// The hub's ID-card reader (证件识别): one OCR engine per hub, started on the first card (its workers
// load the Chinese model, ~0.5 s, so a hub nobody registers on pays nothing) and closed when the hub
// stops. The engine's own bounded queue refuses excess cards with SERVICE_BUSY.
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { createOcrEngine, OcrEngineUnavailableError, type OcrEngine, type OcrEngineOptions } from '../../models/ocr/ocr-engine.ts';
import { readIdCard, type IdCardReading, type ReadIdCardOptions } from '../../models/ocr/read-idcard.ts';

export class IdCardOcr {
  private engine: Promise<OcrEngine> | null = null;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly options: OcrEngineOptions = {},
  ) {}

  /** The recogniser, named in the identity checks it makes. */
  get kind(): string {
    return this.options.kind ?? 'tesseract.js';
  }

  async read(bytes: Uint8Array, options: ReadIdCardOptions): Promise<IdCardReading> {
    return readIdCard(await this.engineOf(), bytes, options);
  }

  /** Single-flight start; a failed start is forgotten so the next card tries again (e.g. after apt-get install). */
  private engineOf(): Promise<OcrEngine> {
    if (this.closed) return Promise.reject(new AppError('SERVICE_BUSY', 'The hub is stopping / 服务正在停止'));
    if (!this.engine) {
      const starting = createOcrEngine(this.options);
      this.engine = starting;
      starting.catch((error: unknown) => {
        if (this.engine === starting) this.engine = null;
        this.logger.error('ID-card OCR unavailable', { error: (error as Error).message });
      });
    }
    return this.engine.catch((error: unknown) => {
      if (error instanceof OcrEngineUnavailableError) {
        throw new AppError('SERVICE_BUSY', 'ID-card reading is not available on this server; type the details instead / 本服务器暂不能识别证件，请手工填写', undefined, { cause: error });
      }
      throw error;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const engine = this.engine;
    this.engine = null;
    if (engine) await engine.then((started) => started.close(), () => undefined);
  }
}
