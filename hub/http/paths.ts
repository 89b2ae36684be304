// Every path the hub serves is built here. Route patterns use uWS's ":name" parameters; the
// OpenAPI document and clients get theirs from the same strings.

export const API_PREFIX = '/api/v1';

export const paths = {
  healthz: '/healthz',
  openapi: `${API_PREFIX}/openapi.json`,
  login: `${API_PREFIX}/auth/login`,
  me: `${API_PREFIX}/me`,
  /** 第三方登录: the court's providers, the redirect to one, its callback, the ticket → session exchange, 账号绑定. */
  oauthProviders: `${API_PREFIX}/auth/oauth/providers`,
  oauthStart: `${API_PREFIX}/auth/oauth/:provider/start`,
  oauthCallback: `${API_PREFIX}/auth/oauth/:provider/callback`,
  oauthSession: `${API_PREFIX}/auth/oauth/session`,
  oauthLink: `${API_PREFIX}/auth/oauth/link`,
  courts: `${API_PREFIX}/courts`,
  cases: `${API_PREFIX}/cases`,
  caseDetail: `${API_PREFIX}/cases/:caseId`,
  caseCommands: `${API_PREFIX}/cases/:caseId/commands`,
  hearings: `${API_PREFIX}/hearings`,
  hearingTranscript: `${API_PREFIX}/hearings/:hearingId/transcript`,
  hearingTranscriptVersions: `${API_PREFIX}/hearings/:hearingId/transcript/versions`,
  hearingTranscriptRestore: `${API_PREFIX}/hearings/:hearingId/transcript/versions/:versionId/restore`,
  hearingTranscriptChanges: `${API_PREFIX}/hearings/:hearingId/transcript/changes`,
  /** 笔录确认: a reviewer submits their marks; the judge resolves an objection. */
  hearingTranscriptReview: `${API_PREFIX}/hearings/:hearingId/transcript/review`,
  hearingTranscriptObjectionResolve: `${API_PREFIX}/hearings/:hearingId/transcript/objections/resolve`,
  /** Documents filed with a case (the confirmed hearing transcript). */
  caseDocuments: `${API_PREFIX}/cases/:caseId/documents`,
  caseDocumentContent: `${API_PREFIX}/cases/:caseId/documents/:documentId/content`,
  caseDocumentProblems: `${API_PREFIX}/cases/:caseId/document-problems`,
  caseArchive: `${API_PREFIX}/cases/:caseId/archive`,
  /** 用印 and 用印审批: seal a document of the case (or request it); a judge approves or refuses a request. */
  caseDocumentSeal: `${API_PREFIX}/cases/:caseId/documents/:documentId/seal`,
  caseSealApplications: `${API_PREFIX}/cases/:caseId/seal-applications`,
  caseSealApplicationApprove: `${API_PREFIX}/cases/:caseId/seal-applications/:applicationId/approve`,
  caseSealApplicationRefuse: `${API_PREFIX}/cases/:caseId/seal-applications/:applicationId/refuse`,
  /** 文书验证: anyone checks a court document's signatures and whether the court issued it (public). */
  documentVerify: `${API_PREFIX}/documents/verify`,
  /** 验证码 lookup (public): what the court issued under the code printed (and QR-coded) on a document. */
  documentVerifyCode: `${API_PREFIX}/documents/verify/:code`,
  /** The court's RFC 3161 time-stamping authority (public): DER TimeStampReq in, TimeStampResp out. */
  tsa: `${API_PREFIX}/tsa`,
  /** The transcript as WebVTT, SRT or plain text (?format=, optionally lined up with ?recording=). */
  hearingTranscriptExport: `${API_PREFIX}/hearings/:hearingId/transcript/export`,
  hearingDeviceChecks: `${API_PREFIX}/hearings/:hearingId/device-checks`,
  /** The live hearing (state, participants) and the commands sent to its actor. */
  hearingLive: `${API_PREFIX}/hearings/:hearingId/live`,
  hearingCommands: `${API_PREFIX}/hearings/:hearingId/commands`,
  /** The hearing's identity gate: a participant's live face check, which admits them to the waiting room. */
  hearingIdentityCheck: `${API_PREFIX}/hearings/:hearingId/identity-check`,
  hearingRecordings: `${API_PREFIX}/hearings/:hearingId/recordings`,
  hearingRecordingContent: `${API_PREFIX}/hearings/:hearingId/recordings/:recordingId/content`,
  /** Network probes of the device check: round trip, download and upload against the hub. */
  probePing: `${API_PREFIX}/probe/ping`,
  probeDownload: `${API_PREFIX}/probe/download`,
  probeUpload: `${API_PREFIX}/probe/upload`,
  caseEvidence: `${API_PREFIX}/cases/:caseId/evidence`,
  evidence: `${API_PREFIX}/evidence/:evidenceId`,
  evidenceContent: `${API_PREFIX}/evidence/:evidenceId/content`,
  /** 实名注册: a one-time code to a phone, then the account itself; the embedded node's demo SMS inbox. */
  registrationPhoneCode: `${API_PREFIX}/registrations/phone-code`,
  registrations: `${API_PREFIX}/registrations`,
  registrationDemoInbox: `${API_PREFIX}/registrations/demo-inbox`,
  /** 证件识别 during registration (no session yet): one side of the ID card read, nothing kept. */
  registrationIdCard: `${API_PREFIX}/registrations/id-card`,
  /** The new account's ID-card front, read again and recorded as an 'id_card_ocr' identity check. */
  myIdCard: `${API_PREFIX}/me/id-card`,
  /** The signed-in user's own identity checks (real name, later ID-card OCR and face). */
  myIdentityChecks: `${API_PREFIX}/me/identity-checks`,
  /** 人脸采集 and 活体检测: the user's enrolled face, a liveness challenge, the live check answering it. */
  myFaceEnrolment: `${API_PREFIX}/me/face-enrolment`,
  myFaceCheckChallenge: `${API_PREFIX}/me/face-checks/challenge`,
  myFaceChecks: `${API_PREFIX}/me/face-checks`,
  /** 网上立案: submit a filing (reviewed by the rules at once), the caller's own filings, one filing. */
  filings: `${API_PREFIX}/filings`,
  filing: `${API_PREFIX}/filings/:filingId`,
  /** 补正: the filer resubmits a filing returned for correction, before its deadline. */
  filingResubmit: `${API_PREFIX}/filings/:filingId/resubmit`,
  /** 站内信: the signed-in user's inbox (立案回执, 缴费通知 …) and marking one message read. */
  myInbox: `${API_PREFIX}/me/inbox`,
  myInboxRead: `${API_PREFIX}/me/inbox/:messageId/read`,
  /** 立案审查: a court's filings waiting for a clerk; a clerk's or judge's decision overriding the rules. */
  courtFilingQueue: `${API_PREFIX}/courts/:courtId/filing-queue`,
  filingDecision: `${API_PREFIX}/filings/:filingId/decision`,
  /** 立案规则: the court's filing rule set in force with its version history; a courtAdmin saves a new version. */
  courtFilingRules: `${API_PREFIX}/courts/:courtId/filing-rules`,
  /** 立案草稿 (the guided filing form's drafts, the filer's own), the complaint rendered for preview and signed. */
  filingDrafts: `${API_PREFIX}/filing-drafts`,
  filingDraft: `${API_PREFIX}/filing-drafts/:draftId`,
  filingDraftComplaint: `${API_PREFIX}/filing-drafts/:draftId/complaint`,
  filingDraftComplaintSign: `${API_PREFIX}/filing-drafts/:draftId/complaint/sign`,
  /** 立案材料: files uploaded with a filing (type and page count checked) and their bytes. */
  filingMaterials: `${API_PREFIX}/filing-materials`,
  filingMaterial: `${API_PREFIX}/filing-materials/:materialId`,
  filingMaterialContent: `${API_PREFIX}/filing-materials/:materialId/content`,
  /** The realtime WebSocket (case events). */
  realtime: '/rt',
} as const;

const PARAMETER = /:([A-Za-z][A-Za-z0-9_]*)/g;

/** Parameter names of a pattern, in the order uWS's getParameter(index) returns them. */
export function pathParameterNames(pattern: string): string[] {
  return [...pattern.matchAll(PARAMETER)].map((match) => match[1] as string);
}

/** "/api/v1/cases/:caseId" → "/api/v1/cases/{caseId}" (OpenAPI templating). */
export function openApiPath(pattern: string): string {
  return pattern.replace(PARAMETER, '{$1}');
}

/** Fills a pattern's parameters (URL-encoded): fillPath(paths.caseDetail, { caseId }). */
export function fillPath(pattern: string, values: Record<string, string>): string {
  return pattern.replace(PARAMETER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${pattern}`);
    return encodeURIComponent(value);
  });
}

export const isApiPath = (url: string): boolean => url === API_PREFIX || url.startsWith(`${API_PREFIX}/`);
