// The portrait of a resident ID card front, cut out of a photo of the card for face enrolment. A phone
// photo of the whole card gives the face detector (which looks at a ~320 px copy) a face too small to
// find; the straightened card's portrait area alone gives it the face at a usable size. Grey, like the
// card's own printed photo; the face model compares grey and colour faces alike (models/face).
import { DEFAULT_IMAGE_LIMITS, greyImageToPng, readGreyImage } from '../../models/ocr/grey-image.ts';
import { cropImage, preprocessIdCard, stretchContrast } from '../../models/ocr/preprocess.ts';

/** Where the portrait lies on the card front (GB/T 16594 layout), as fractions of the card. */
const PORTRAIT = { left: 0.6, top: 0.04, right: 0.98, bottom: 0.8 };

/** PNG bytes of the portrait area; throws IdCardImageError (coded) for images that are not a card photo. */
export function idCardPortrait(bytes: Uint8Array): Uint8Array {
  const card = preprocessIdCard(readGreyImage(bytes, DEFAULT_IMAGE_LIMITS)).image;
  const left = Math.round(card.width * PORTRAIT.left);
  const top = Math.round(card.height * PORTRAIT.top);
  const box = { left, top, width: Math.round(card.width * PORTRAIT.right) - left, height: Math.round(card.height * PORTRAIT.bottom) - top };
  // Stretched on its own: the card's stretch is set by its black print, and a printed photo is faint beside it.
  return new Uint8Array(greyImageToPng(stretchContrast(cropImage(card, box))));
}
