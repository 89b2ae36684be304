// The embeddable bundle's entry: defines the ecourt-* custom elements, once even if a court's
// page loads the bundle twice. The elements and their attributes/events are the public interface.
import { EcourtPortal } from './elements/portal.ts';
import { EcourtLogin } from './elements/login.ts';
import { EcourtOAuthReturn } from './elements/oauth-return.ts';
import { EcourtRegistration } from './elements/registration.ts';
import { EcourtCaseList } from './elements/case-list.ts';
import { EcourtCasePage } from './elements/case-page.ts';
import { EcourtFilingForm } from './elements/filing-form.ts';
import { EcourtTranscriptEditor } from './elements/transcript-editor.ts';
import { EcourtTranscriptReview } from './elements/transcript-review.ts';
import { EcourtTranscriptDownload } from './elements/transcript-download.ts';
import { EcourtEvidenceViewer } from './elements/evidence-viewer.ts';
import { EcourtEvidenceList } from './elements/evidence-list.ts';
import { EcourtDeviceCheck } from './elements/device-check.ts';
import { EcourtIdentityCheck } from './elements/identity-check.ts';
import { EcourtHearingRoom } from './elements/hearing-room.ts';
import { EcourtVerifyDocument } from './elements/verify-document.ts';
import { EcourtInbox } from './elements/inbox.ts';
import { EcourtFilingQueue } from './elements/filing-queue.ts';

const elements: [string, CustomElementConstructor][] = [
  ['ecourt-portal', EcourtPortal],
  ['ecourt-login', EcourtLogin],
  ['ecourt-oauth-return', EcourtOAuthReturn],
  ['ecourt-registration', EcourtRegistration],
  ['ecourt-case-list', EcourtCaseList],
  ['ecourt-case-page', EcourtCasePage],
  ['ecourt-filing-form', EcourtFilingForm],
  ['ecourt-transcript-editor', EcourtTranscriptEditor],
  ['ecourt-transcript-review', EcourtTranscriptReview],
  ['ecourt-transcript-download', EcourtTranscriptDownload],
  ['ecourt-evidence-viewer', EcourtEvidenceViewer],
  ['ecourt-evidence-list', EcourtEvidenceList],
  ['ecourt-device-check', EcourtDeviceCheck],
  ['ecourt-identity-check', EcourtIdentityCheck],
  ['ecourt-hearing-room', EcourtHearingRoom],
  ['ecourt-verify-document', EcourtVerifyDocument],
  ['ecourt-inbox', EcourtInbox],
  ['ecourt-filing-queue', EcourtFilingQueue],
];
for (const [name, constructor] of elements) {
  if (!customElements.get(name)) customElements.define(name, constructor);
}

declare global {
  interface HTMLElementTagNameMap {
    'ecourt-portal': EcourtPortal;
    'ecourt-login': EcourtLogin;
    'ecourt-oauth-return': EcourtOAuthReturn;
    'ecourt-registration': EcourtRegistration;
    'ecourt-case-list': EcourtCaseList;
    'ecourt-case-page': EcourtCasePage;
    'ecourt-filing-form': EcourtFilingForm;
    'ecourt-transcript-editor': EcourtTranscriptEditor;
    'ecourt-transcript-review': EcourtTranscriptReview;
    'ecourt-transcript-download': EcourtTranscriptDownload;
    'ecourt-evidence-viewer': EcourtEvidenceViewer;
    'ecourt-evidence-list': EcourtEvidenceList;
    'ecourt-device-check': EcourtDeviceCheck;
    'ecourt-identity-check': EcourtIdentityCheck;
    'ecourt-hearing-room': EcourtHearingRoom;
    'ecourt-verify-document': EcourtVerifyDocument;
    'ecourt-inbox': EcourtInbox;
    'ecourt-filing-queue': EcourtFilingQueue;
  }
}
