// Why an ID-card photo was refused, as one coded AppError (the route's status comes from the code; the
// reason tells the client which refusal it is). Messages are shown to the user, so both languages.
import { AppError, type ErrorCode } from '../../platform/errors.ts';

export const IDCARD_IMAGE_REFUSALS = {
  'not-an-image': 'UNSUPPORTED_MEDIA_TYPE',
  'image-too-large': 'PAYLOAD_TOO_LARGE',
  'image-unreadable': 'VALIDATION_FAILED',
  'image-blank': 'VALIDATION_FAILED',
  'no-text': 'VALIDATION_FAILED',
} as const satisfies Record<string, ErrorCode>;

export type IdCardImageRefusal = keyof typeof IDCARD_IMAGE_REFUSALS;

export class IdCardImageError extends AppError {
  constructor(
    readonly reason: IdCardImageRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(IDCARD_IMAGE_REFUSALS[reason], message, { reason }, options);
    this.name = 'IdCardImageError';
  }
}
