import type { Text } from './types.js';

/**
 * ITU-T Q.850 cause values with the names FreeSWITCH gives them (switch_call_cause_t, also used in CDRs as
 * `hangup_cause`) and a short label in both languages.
 */
export interface Q850Cause {
  cause: number;
  name: string;
  label: Text;
}

export const Q850_CAUSES: readonly Q850Cause[] = [
  { cause: 0, name: 'NONE', label: { en: 'No cause recorded', ru: 'Причина не указана' } },
  { cause: 1, name: 'UNALLOCATED_NUMBER', label: { en: 'Unallocated (unassigned) number', ru: 'Номер не существует (не выделен)' } },
  { cause: 2, name: 'NO_ROUTE_TRANSIT_NET', label: { en: 'No route to the transit network', ru: 'Нет маршрута к транзитной сети' } },
  { cause: 3, name: 'NO_ROUTE_DESTINATION', label: { en: 'No route to destination', ru: 'Нет маршрута к направлению' } },
  { cause: 6, name: 'CHANNEL_UNACCEPTABLE', label: { en: 'Channel unacceptable', ru: 'Канал неприемлем' } },
  { cause: 7, name: 'CALL_AWARDED_DELIVERED', label: { en: 'Call awarded, delivered in an established channel', ru: 'Вызов передан по уже установленному каналу' } },
  { cause: 16, name: 'NORMAL_CLEARING', label: { en: 'Normal call clearing', ru: 'Нормальное завершение вызова' } },
  { cause: 17, name: 'USER_BUSY', label: { en: 'User busy', ru: 'Абонент занят' } },
  { cause: 18, name: 'NO_USER_RESPONSE', label: { en: 'No user responding', ru: 'Абонентское устройство не отвечает' } },
  { cause: 19, name: 'NO_ANSWER', label: { en: 'No answer from user (user alerted)', ru: 'Абонент не ответил (вызов поступал)' } },
  { cause: 20, name: 'SUBSCRIBER_ABSENT', label: { en: 'Subscriber absent', ru: 'Абонент отсутствует в сети' } },
  { cause: 21, name: 'CALL_REJECTED', label: { en: 'Call rejected', ru: 'Вызов отклонён' } },
  { cause: 22, name: 'NUMBER_CHANGED', label: { en: 'Number changed', ru: 'Номер изменён' } },
  { cause: 23, name: 'REDIRECTION_TO_NEW_DESTINATION', label: { en: 'Redirected to a new destination', ru: 'Перенаправлен на новое направление' } },
  { cause: 25, name: 'EXCHANGE_ROUTING_ERROR', label: { en: 'Exchange routing error', ru: 'Ошибка маршрутизации на станции' } },
  { cause: 26, name: 'NON_SELECTED_USER_CLEARING', label: { en: 'Non-selected user clearing (answered elsewhere)', ru: 'Отбой невыбранного абонента (ответили в другом месте)' } },
  { cause: 27, name: 'DESTINATION_OUT_OF_ORDER', label: { en: 'Destination out of order', ru: 'Направление неисправно' } },
  { cause: 28, name: 'INVALID_NUMBER_FORMAT', label: { en: 'Invalid number format (address incomplete)', ru: 'Неверный формат номера (неполный адрес)' } },
  { cause: 29, name: 'FACILITY_REJECTED', label: { en: 'Facility rejected', ru: 'Услуга отклонена' } },
  { cause: 30, name: 'RESPONSE_TO_STATUS_ENQUIRY', label: { en: 'Response to STATUS ENQUIRY', ru: 'Ответ на запрос состояния' } },
  { cause: 31, name: 'NORMAL_UNSPECIFIED', label: { en: 'Normal, unspecified', ru: 'Нормальное, без уточнения' } },
  { cause: 34, name: 'NORMAL_CIRCUIT_CONGESTION', label: { en: 'No circuit/channel available', ru: 'Нет свободного канала' } },
  { cause: 38, name: 'NETWORK_OUT_OF_ORDER', label: { en: 'Network out of order', ru: 'Сеть неисправна' } },
  { cause: 41, name: 'NORMAL_TEMPORARY_FAILURE', label: { en: 'Temporary failure', ru: 'Временный сбой' } },
  { cause: 42, name: 'SWITCH_CONGESTION', label: { en: 'Switching equipment congestion', ru: 'Перегрузка коммутационного оборудования' } },
  { cause: 43, name: 'ACCESS_INFO_DISCARDED', label: { en: 'Access information discarded', ru: 'Информация доступа отброшена' } },
  { cause: 44, name: 'REQUESTED_CHAN_UNAVAIL', label: { en: 'Requested circuit/channel not available', ru: 'Запрошенный канал недоступен' } },
  { cause: 45, name: 'PRE_EMPTED', label: { en: 'Pre-empted', ru: 'Вытеснен приоритетным вызовом' } },
  { cause: 47, name: 'RESOURCE_UNAVAILABLE', label: { en: 'Resource unavailable, unspecified', ru: 'Ресурс недоступен, без уточнения' } },
  { cause: 50, name: 'FACILITY_NOT_SUBSCRIBED', label: { en: 'Requested facility not subscribed', ru: 'Услуга не подключена' } },
  { cause: 52, name: 'OUTGOING_CALL_BARRED', label: { en: 'Outgoing calls barred', ru: 'Исходящие вызовы запрещены' } },
  { cause: 54, name: 'INCOMING_CALL_BARRED', label: { en: 'Incoming calls barred', ru: 'Входящие вызовы запрещены' } },
  { cause: 55, name: 'INCOMING_CALL_BARRED_CUG', label: { en: 'Incoming calls barred within CUG', ru: 'Входящие запрещены в замкнутой группе' } },
  { cause: 57, name: 'BEARERCAPABILITY_NOTAUTH', label: { en: 'Bearer capability not authorized', ru: 'Тип переноса не разрешён' } },
  { cause: 58, name: 'BEARERCAPABILITY_NOTAVAIL', label: { en: 'Bearer capability not presently available', ru: 'Тип переноса сейчас недоступен' } },
  { cause: 63, name: 'SERVICE_UNAVAILABLE', label: { en: 'Service or option not available', ru: 'Услуга или опция недоступна' } },
  { cause: 65, name: 'BEARERCAPABILITY_NOTIMPL', label: { en: 'Bearer capability not implemented', ru: 'Тип переноса не реализован' } },
  { cause: 66, name: 'CHAN_NOT_IMPLEMENTED', label: { en: 'Channel type not implemented', ru: 'Тип канала не реализован' } },
  { cause: 69, name: 'FACILITY_NOT_IMPLEMENTED', label: { en: 'Requested facility not implemented', ru: 'Услуга не реализована' } },
  { cause: 70, name: 'ONLY_RESTRICTED_DIGITAL', label: { en: 'Only restricted digital bearer available', ru: 'Доступен только ограниченный цифровой перенос' } },
  { cause: 79, name: 'SERVICE_NOT_IMPLEMENTED', label: { en: 'Service or option not implemented', ru: 'Услуга или опция не реализована' } },
  { cause: 81, name: 'INVALID_CALL_REFERENCE', label: { en: 'Invalid call reference value', ru: 'Неверная ссылка на вызов' } },
  { cause: 87, name: 'USER_NOT_MEMBER_OF_CUG', label: { en: 'User not member of CUG', ru: 'Абонент не входит в замкнутую группу' } },
  { cause: 88, name: 'INCOMPATIBLE_DESTINATION', label: { en: 'Incompatible destination', ru: 'Несовместимое направление' } },
  { cause: 95, name: 'INVALID_MSG_UNSPECIFIED', label: { en: 'Invalid message, unspecified', ru: 'Неверное сообщение, без уточнения' } },
  { cause: 96, name: 'MANDATORY_IE_MISSING', label: { en: 'Mandatory information element missing', ru: 'Отсутствует обязательный элемент' } },
  { cause: 97, name: 'MESSAGE_TYPE_NONEXIST', label: { en: 'Message type non-existent or not implemented', ru: 'Тип сообщения не существует или не реализован' } },
  { cause: 98, name: 'WRONG_MESSAGE', label: { en: 'Message not compatible with call state, or message type not implemented', ru: 'Сообщение не соответствует состоянию вызова или его тип не реализован' } },
  { cause: 99, name: 'IE_NONEXIST', label: { en: 'Information element non-existent or not implemented', ru: 'Элемент не существует или не реализован' } },
  { cause: 100, name: 'INVALID_IE_CONTENTS', label: { en: 'Invalid information element contents', ru: 'Неверное содержимое элемента' } },
  { cause: 101, name: 'WRONG_CALL_STATE', label: { en: 'Message not compatible with call state', ru: 'Сообщение не соответствует состоянию вызова' } },
  { cause: 102, name: 'RECOVERY_ON_TIMER_EXPIRE', label: { en: 'Recovery on timer expiry', ru: 'Истёк таймер ожидания' } },
  { cause: 103, name: 'MANDATORY_IE_LENGTH_ERROR', label: { en: 'Parameter non-existent or not implemented, passed on', ru: 'Параметр не существует или не реализован, передан дальше' } },
  { cause: 111, name: 'PROTOCOL_ERROR', label: { en: 'Protocol error, unspecified', ru: 'Ошибка протокола, без уточнения' } },
  { cause: 127, name: 'INTERWORKING', label: { en: 'Interworking, unspecified', ru: 'Ошибка взаимодействия сетей, без уточнения' } },
];

/**
 * RFC 3398 §7.2.4.1: Q.850 cause received in an ISUP REL → SIP response the gateway sends.
 * Cause 16 has no entry: normal clearing becomes a BYE or CANCEL, not a response.
 * 29 is listed as "510" in the RFC, a known typo for 501 (no 510 code exists); 501 is used.
 */
export const Q850_TO_SIP: ReadonlyMap<number, number> = new Map([
  [1, 404], [2, 404], [3, 404],
  [17, 486], [18, 408], [19, 480], [20, 480],
  [21, 403], // RFC 3398: 603 instead when the cause location is "user"
  [22, 410], // 301 when a diagnostic carries the new number
  [23, 410], [26, 404], [27, 502], [28, 484], [29, 501], [31, 480],
  [34, 503], [38, 503], [41, 503], [42, 503], [47, 503],
  [55, 403], [57, 403], [58, 503],
  [65, 488], [70, 488], [79, 501],
  [87, 403], [88, 503],
  [102, 504], [111, 500], [127, 500],
]);

/**
 * For causes RFC 3398 does not list, the project falls back on the Q.850 class of the cause (the high bits),
 * choosing the response the RFC gives to most causes of the same class.
 */
export function q850ClassDefault(cause: number): number {
  if (cause < 32) return 480; // normal event
  if (cause < 48) return 503; // resource unavailable
  if (cause < 64) return 503; // service or option not available
  if (cause < 80) return 501; // service or option not implemented
  return 500; // invalid message, protocol error, interworking
}

/**
 * RFC 3398 §8.2.6.1: SIP final response received → Q.850 cause for the ISUP REL.
 * Codes not listed map to 31 (normal, unspecified), as the RFC says. Three choices are the project's: the RFC
 * gives 487 no cause (it answers a CANCEL, which the RFC maps to 16, so 16 is used), and leaves 488 and 606 to
 * the Warning header (88 "incompatible destination" is used, the cause for a media mismatch).
 */
export const SIP_TO_Q850: ReadonlyMap<number, number> = new Map([
  [400, 41], [401, 21], [402, 21], [403, 21], [404, 1], [405, 63], [406, 79], [407, 21],
  [408, 102], [410, 22], [413, 127], [414, 127], [415, 79], [416, 127], [420, 127], [421, 127], [423, 127],
  [480, 18], [481, 41], [482, 25], [483, 25], [484, 28], [485, 1], [486, 17], [487, 16], [488, 88],
  [500, 41], [501, 79], [502, 38], [503, 41], [504, 102], [505, 127], [513, 127],
  [600, 17], [603, 21], [604, 1], [606, 88],
]);

/**
 * FreeSWITCH hangup causes that are not Q.850 values (its own numbers above 127): the SIP response that best
 * describes how the attempt ended. Names absent here have no response meaning (transfers, manager requests).
 */
export const FS_INTERNAL_TO_SIP: ReadonlyMap<string, number> = new Map([
  ['ORIGINATOR_CANCEL', 487], // the caller hung up before answer: the leg got CANCEL → 487
  ['LOSE_RACE', 487], // another fork answered first
  ['PICKED_OFF', 487], // another phone picked the call up
  ['NO_PICKUP', 480],
  ['USER_NOT_REGISTERED', 480], // registrar knows the user, no contact bound (RFC 3261 §10.3)
  ['PROGRESS_TIMEOUT', 408],
  ['GATEWAY_DOWN', 503],
  ['INVALID_GATEWAY', 503],
  ['SYSTEM_SHUTDOWN', 503],
  ['CRASH', 500],
  ['INVALID_PROFILE', 500],
  ['INVALID_URL', 400],
  ['USER_CHALLENGE', 401],
  ['BUSY_EVERYWHERE', 600],
  ['DECLINE', 603],
  ['DOES_NOT_EXIST_ANYWHERE', 604],
  ['NOT_ACCEPTABLE', 606],
  ['UNWANTED', 607],
  ['NO_IDENTITY', 428],
  ['BAD_IDENTITY_INFO', 436],
  ['UNSUPPORTED_CERTIFICATE', 437],
  ['INVALID_IDENTITY', 438],
  ['STALE_DATE', 403],
]);

/** FreeSWITCH causes with no Q.850 value and no response meaning: known names, so they are not "unknown". */
export const FS_INTERNAL_OTHER: readonly string[] = [
  'SUCCESS', 'MANAGER_REQUEST', 'BLIND_TRANSFER', 'ATTENDED_TRANSFER', 'ALLOTTED_TIMEOUT', 'MEDIA_TIMEOUT',
  'SRTP_READ_ERROR', 'BOWOUT', 'REJECT_ALL',
];

/**
 * Extra spellings of Q.850 names: FreeSWITCH's `UNSPECIFIED` for 0, and the short AST_CAUSE_* aliases of
 * Asterisk's causes.h (AST_CAUSE_CONGESTION is SWITCH_CONGESTION, AST_CAUSE_FAILURE is NETWORK_OUT_OF_ORDER, …).
 */
export const Q850_NAME_ALIASES: ReadonlyMap<string, number> = new Map([
  ['UNSPECIFIED', 0],
  ['UNALLOCATED', 1],
  ['NORMAL', 16],
  ['BUSY', 17],
  ['NOANSWER', 19],
  ['UNREGISTERED', 20],
  ['ANSWERED_ELSEWHERE', 26],
  ['FAILURE', 38],
  ['CONGESTION', 42],
  ['CHANUNAVAIL', 44],
]);

/**
 * Asterisk CDR `disposition` → the SIP final response it most likely stood for. The CDR does not keep the
 * response, so these are inferences: FAILED covers every failure that is neither busy nor no-answer.
 */
export const DISPOSITION_TO_SIP: ReadonlyMap<string, { code: number; note: Text }> = new Map([
  ['ANSWERED', { code: 200, note: { en: 'answered call', ru: 'отвеченный вызов' } }],
  ['NOANSWER', { code: 480, note: { en: 'rang without answer (Q.850 19 → 480)', ru: 'звонил без ответа (Q.850 19 → 480)' } }],
  ['BUSY', { code: 486, note: { en: 'callee busy', ru: 'абонент занят' } }],
  ['FAILED', { code: 500, note: { en: 'any other failure; the real response is not in the CDR', ru: 'любой другой отказ; настоящий ответ в CDR не сохраняется' } }],
  ['CONGESTION', { code: 503, note: { en: 'congestion or no route (Q.850 42 → 503)', ru: 'перегрузка или нет маршрута (Q.850 42 → 503)' } }],
]);

/**
 * Asterisk's dial statuses (app_dial's DIALSTATUS: printed by "Auto fallthrough", written in some CDR cause
 * columns) → the SIP code each most likely stood for. BUSY, NOANSWER, CONGESTION and CHANUNAVAIL are also the
 * short names of Q.850 causes 17, 19, 42 and 44 (Q850_NAME_ALIASES), and give the same codes. DONTCALL and
 * TORTURE are the callee's choice in the privacy manager (refused, or sent to the torture menu): 603 Decline.
 * INVALIDARGS: Dial could not place the call (the CDR's disposition is then FAILED): 500, as FAILED is.
 */
export const DIAL_STATUS_TO_SIP: ReadonlyMap<string, number> = new Map([
  ['ANSWER', 200],
  ['BUSY', 486],
  ['NOANSWER', 480],
  ['CANCEL', 487],
  ['CONGESTION', 503],
  ['CHANUNAVAIL', 503],
  ['DONTCALL', 603],
  ['TORTURE', 603],
  ['INVALIDARGS', 500],
]);
