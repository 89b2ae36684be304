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
  caseArchive: `${API_PREFIX}/cases/:caseId/archive`,
  /** 用印 and 用印审批: seal a document of the case (or request it); a judge approves or refuses a request. */
  caseDocumentSeal: `${API_PREFIX}/cases/:caseId/documents/:documentId/seal`,
  caseSealApplications: `${API_PREFIX}/cases/:caseId/seal-applications`,
  caseSealApplicationApprove: `${API_PREFIX}/cases/:caseId/seal-applications/:applicationId/approve`,
  caseSealApplicationRefuse: `${API_PREFIX}/cases/:caseId/seal-applications/:applicationId/refuse`,
  /** 文书验证: anyone checks a court document's signatures and whether the court issued it (public). */
  documentVerify: `${API_PREFIX}/documents/verify`,
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
