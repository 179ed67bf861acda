import type { CodeData } from './types.js';

/**
 * Every response code of the IANA "SIP Parameters / Response Codes" registry, the two RFC 2543 codes that
 * were never registered (409, 411), and codes that providers send although no RFC defines them (499).
 * Reason phrases are the registry's; descriptions are the project's own, aimed at a NOC engineer.
 */
export const CODES: readonly CodeData[] = [
  // 1xx provisional
  {
    code: 100, reason: 'Trying', rfc: 'RFC 3261 §21.1.1', status: 'iana',
    description: {
      en: 'The next hop got the request and is working on it; it only stops INVITE retransmissions. Says nothing about the callee.',
      ru: 'Следующий узел получил запрос и обрабатывает его; ответ лишь останавливает повторы INVITE и ничего не говорит о вызываемом абоненте.',
    },
  },
  {
    code: 180, reason: 'Ringing', rfc: 'RFC 3261 §21.1.2', status: 'iana',
    description: {
      en: 'The callee was found and is being alerted. The time from INVITE to the first 180/183 is the post-dial delay.',
      ru: 'Вызываемый абонент найден, идёт посылка вызова. Время от INVITE до первого 180/183 — задержка после набора (PDD).',
    },
  },
  {
    code: 181, reason: 'Call Is Being Forwarded', rfc: 'RFC 3261 §21.1.3', status: 'iana',
    description: {
      en: 'A proxy or the callee forwards the call to another destination (call forwarding).',
      ru: 'Прокси или сам абонент переадресует вызов на другое направление (переадресация).',
    },
  },
  {
    code: 182, reason: 'Queued', rfc: 'RFC 3261 §21.1.4', status: 'iana',
    description: {
      en: 'The callee is temporarily unavailable and the call waits in a queue; updates may follow.',
      ru: 'Абонент временно недоступен, вызов поставлен в очередь; возможны повторные 182 с обновлением.',
    },
  },
  {
    code: 183, reason: 'Session Progress', rfc: 'RFC 3261 §21.1.5', status: 'iana',
    description: {
      en: 'Call set-up is progressing; usually carries SDP for early media (ring-back tone or announcements from the far network).',
      ru: 'Установление вызова продолжается; обычно несёт SDP для раннего медиа (сигнал КПВ или автоинформатор дальней сети).',
    },
  },
  {
    code: 199, reason: 'Early Dialog Terminated', rfc: 'RFC 6228', status: 'iana',
    description: {
      en: 'One early dialog of a forked call has ended (that branch failed) while others may still continue.',
      ru: 'Один из ранних диалогов разветвлённого вызова завершён (эта ветка не состоялась), остальные могут продолжаться.',
    },
  },
  // 2xx success
  {
    code: 200, reason: 'OK', rfc: 'RFC 3261 §21.2.1', status: 'iana',
    description: {
      en: 'The request succeeded. For an INVITE: the call was answered and billing starts.',
      ru: 'Запрос выполнен. Для INVITE: вызов отвечен, начинается тарификация.',
    },
  },
  {
    code: 202, reason: 'Accepted', rfc: 'RFC 3265 §7.3.1; deprecated by RFC 6665 §8.3.1', status: 'iana',
    description: {
      en: 'The request (usually REFER or SUBSCRIBE) was accepted but not yet carried out. Deprecated for new uses.',
      ru: 'Запрос (обычно REFER или SUBSCRIBE) принят, но ещё не выполнен. Для новых применений устарел.',
    },
  },
  {
    code: 204, reason: 'No Notification', rfc: 'RFC 5839 §7.1', status: 'iana',
    description: {
      en: 'A subscription refresh succeeded, and the notifier will not send a NOTIFY because nothing changed.',
      ru: 'Обновление подписки успешно; уведомление NOTIFY не будет отправлено, так как состояние не изменилось.',
    },
  },
  // 3xx redirection
  {
    code: 300, reason: 'Multiple Choices', rfc: 'RFC 3261 §21.3.1', status: 'iana',
    description: {
      en: 'The address resolves to several destinations, listed in Contact; the caller picks one.',
      ru: 'Адрес соответствует нескольким направлениям (перечислены в Contact); вызывающая сторона выбирает одно.',
    },
  },
  {
    code: 301, reason: 'Moved Permanently', rfc: 'RFC 3261 §21.3.2', status: 'iana',
    description: {
      en: 'The callee is no longer at this address; the new one is in Contact and should replace the old one.',
      ru: 'Абонент больше не находится по этому адресу; новый адрес — в Contact, его следует использовать впредь.',
    },
  },
  {
    code: 302, reason: 'Moved Temporarily', rfc: 'RFC 3261 §21.3.3', status: 'iana',
    description: {
      en: 'Try the address in Contact for now (typical for call forwarding set on a phone or by a redirect server).',
      ru: 'Пока звоните по адресу из Contact (типично для переадресации, настроенной на телефоне или сервере перенаправления).',
    },
  },
  {
    code: 305, reason: 'Use Proxy', rfc: 'RFC 3261 §21.3.4', status: 'iana',
    description: {
      en: 'The destination must be reached through the proxy named in Contact.',
      ru: 'Направление доступно только через прокси-сервер, указанный в Contact.',
    },
  },
  {
    code: 380, reason: 'Alternative Service', rfc: 'RFC 3261 §21.3.5', status: 'iana',
    description: {
      en: 'The call failed, but alternative services are described in the body.',
      ru: 'Вызов не состоялся, но в теле ответа описаны альтернативные услуги.',
    },
  },
  // 4xx client failure
  {
    code: 400, reason: 'Bad Request', rfc: 'RFC 3261 §21.4.1', status: 'iana',
    description: {
      en: 'The request is malformed (syntax, a missing or broken header). Look at what your side sends, not at the callee.',
      ru: 'Запрос синтаксически неверен (ошибка или отсутствие заголовка). Проверяйте то, что отправляет ваша сторона, а не абонента.',
    },
  },
  {
    code: 401, reason: 'Unauthorized', rfc: 'RFC 3261 §21.4.2', status: 'iana',
    description: {
      en: 'Authentication needed (from a registrar or user agent). A first 401 is a normal challenge; a 401 after credentials means they were rejected.',
      ru: 'Требуется аутентификация (регистратор или UA). Первый 401 — обычный запрос учётных данных; 401 после их отправки означает, что они отвергнуты.',
    },
  },
  {
    code: 402, reason: 'Payment Required', rfc: 'RFC 3261 §21.4.3', status: 'iana',
    description: {
      en: 'Reserved by the standard; some providers use it for an empty balance.',
      ru: 'Зарезервирован стандартом; некоторые провайдеры используют его при нулевом балансе.',
    },
  },
  {
    code: 403, reason: 'Forbidden', rfc: 'RFC 3261 §21.4.4', status: 'iana',
    description: {
      en: 'Understood and refused; authenticating again will not help. Providers use it for wrong credentials, blocked accounts, no balance or no route.',
      ru: 'Запрос понят, но отклонён; повторная аутентификация не поможет. Провайдеры отвечают так при неверных учётных данных, блокировке, отсутствии денег или маршрута.',
    },
  },
  {
    code: 404, reason: 'Not Found', rfc: 'RFC 3261 §21.4.5', status: 'iana',
    description: {
      en: 'The user does not exist at this domain (or the domain is not served here).',
      ru: 'Такого пользователя в этом домене нет (или домен здесь не обслуживается).',
    },
  },
  {
    code: 405, reason: 'Method Not Allowed', rfc: 'RFC 3261 §21.4.6', status: 'iana',
    description: {
      en: 'The method is understood but not allowed for this address; the Allow header lists what is.',
      ru: 'Метод известен, но для этого адреса не разрешён; допустимые методы — в заголовке Allow.',
    },
  },
  {
    code: 406, reason: 'Not Acceptable', rfc: 'RFC 3261 §21.4.7', status: 'iana',
    description: {
      en: 'The server can only answer with content the Accept header of the request does not allow.',
      ru: 'Сервер может ответить только содержимым, которое не допускает заголовок Accept запроса.',
    },
  },
  {
    code: 407, reason: 'Proxy Authentication Required', rfc: 'RFC 3261 §21.4.8', status: 'iana',
    description: {
      en: 'Like 401 but from a proxy: a first 407 is a challenge; a 407 after credentials means they were rejected.',
      ru: 'Как 401, но от прокси: первый 407 — запрос учётных данных; 407 после их отправки означает, что они отвергнуты.',
    },
  },
  {
    code: 408, reason: 'Request Timeout', rfc: 'RFC 3261 §21.4.9', status: 'iana',
    description: {
      en: 'No final answer in time: the callee could not be found or did not respond. Also what a UA reports itself when its transaction timer fires.',
      ru: 'Окончательный ответ не получен вовремя: абонент не найден или не ответил. Так же UA сообщает о срабатывании своего таймера транзакции.',
    },
  },
  {
    code: 409, reason: 'Conflict', rfc: 'RFC 2543 §7.4.10 (obsolete)', status: 'obsolete',
    description: {
      en: 'RFC 2543 only: a registration conflict (the user is already registered). Not in RFC 3261 nor in the registry.',
      ru: 'Только RFC 2543: конфликт регистрации (пользователь уже зарегистрирован). В RFC 3261 и реестре IANA отсутствует.',
    },
  },
  {
    code: 410, reason: 'Gone', rfc: 'RFC 3261 §21.4.10', status: 'iana',
    description: {
      en: 'The user existed once but is no longer reachable here and no forwarding address is known (e.g. a disconnected number).',
      ru: 'Пользователь был, но здесь больше недоступен, нового адреса нет (например, номер отключён).',
    },
  },
  {
    code: 411, reason: 'Length Required', rfc: 'RFC 2543 §7.4.12 (obsolete)', status: 'obsolete',
    description: {
      en: 'RFC 2543 only: the request needs a Content-Length. Not in RFC 3261 nor in the registry.',
      ru: 'Только RFC 2543: запросу нужен заголовок Content-Length. В RFC 3261 и реестре IANA отсутствует.',
    },
  },
  {
    code: 412, reason: 'Conditional Request Failed', rfc: 'RFC 3903 §11.2.1', status: 'iana',
    description: {
      en: 'A PUBLISH refers to an event state (entity tag) the server no longer has.',
      ru: 'PUBLISH ссылается на состояние события (entity tag), которого на сервере уже нет.',
    },
  },
  {
    code: 413, reason: 'Request Entity Too Large', rfc: 'RFC 3261 §21.4.11', status: 'iana',
    description: {
      en: 'The body of the request is larger than the server accepts.',
      ru: 'Тело запроса больше, чем готов принять сервер.',
    },
  },
  {
    code: 414, reason: 'Request-URI Too Long', rfc: 'RFC 3261 §21.4.12', status: 'iana',
    description: {
      en: 'The Request-URI is longer than the server is willing to interpret.',
      ru: 'Request-URI длиннее, чем сервер готов обработать.',
    },
  },
  {
    code: 415, reason: 'Unsupported Media Type', rfc: 'RFC 3261 §21.4.13', status: 'iana',
    description: {
      en: 'The body format (or its encoding or language) is not supported; for calls usually an SDP/codec problem.',
      ru: 'Формат тела (кодировка, язык) не поддерживается; для вызовов это обычно проблема SDP или кодеков.',
    },
  },
  {
    code: 416, reason: 'Unsupported URI Scheme', rfc: 'RFC 3261 §21.4.14', status: 'iana',
    description: {
      en: 'The scheme of the Request-URI (e.g. tel:, sips:) is not supported by the server.',
      ru: 'Сервер не поддерживает схему Request-URI (например, tel: или sips:).',
    },
  },
  {
    code: 417, reason: 'Unknown Resource-Priority', rfc: 'RFC 4412 §4.6.2', status: 'iana',
    description: {
      en: 'The Resource-Priority header uses a namespace or value the server does not know.',
      ru: 'В заголовке Resource-Priority указано неизвестное серверу пространство имён или значение.',
    },
  },
  {
    code: 420, reason: 'Bad Extension', rfc: 'RFC 3261 §21.4.15', status: 'iana',
    description: {
      en: 'An extension listed in Proxy-Require or Require is not supported by the server.',
      ru: 'Сервер не поддерживает расширение, указанное в Proxy-Require или Require.',
    },
  },
  {
    code: 421, reason: 'Extension Required', rfc: 'RFC 3261 §21.4.16', status: 'iana',
    description: {
      en: 'The server needs an extension the request did not list in Supported (e.g. 100rel or timer).',
      ru: 'Серверу нужно расширение, которого нет в Supported запроса (например, 100rel или timer).',
    },
  },
  {
    code: 422, reason: 'Session Interval Too Small', rfc: 'RFC 4028 §6', status: 'iana',
    description: {
      en: 'Session-Expires is below the minimum in Min-SE; resend with a longer session timer.',
      ru: 'Session-Expires меньше минимума из Min-SE; повторите запрос с более длинным таймером сессии.',
    },
  },
  {
    code: 423, reason: 'Interval Too Brief', rfc: 'RFC 3261 §21.4.17', status: 'iana',
    description: {
      en: 'The requested expiry (usually of a REGISTER) is shorter than the server allows; see Min-Expires.',
      ru: 'Запрошенный срок действия (обычно REGISTER) короче допустимого; см. Min-Expires.',
    },
  },
  {
    code: 424, reason: 'Bad Location Information', rfc: 'RFC 6442 §4.3', status: 'iana',
    description: {
      en: 'The location information in the request is malformed or not good enough.',
      ru: 'Информация о местоположении в запросе искажена или недостаточна.',
    },
  },
  {
    code: 425, reason: 'Bad Alert Message', rfc: 'RFC 8876 §5.1', status: 'iana',
    description: {
      en: 'A non-interactive emergency alert was malformed beyond any reasonable response.',
      ru: 'Неинтерактивное экстренное оповещение искажено настолько, что отреагировать на него невозможно.',
    },
  },
  {
    code: 428, reason: 'Use Identity Header', rfc: 'RFC 8224 (first RFC 4474)', status: 'iana',
    description: {
      en: 'Policy requires a signed Identity header (STIR/SHAKEN) and the request has none.',
      ru: 'Политика требует подписанный заголовок Identity (STIR/SHAKEN), а в запросе его нет.',
    },
  },
  {
    code: 429, reason: 'Provide Referrer Identity', rfc: 'RFC 3892 §5', status: 'iana',
    description: {
      en: 'A REFER needs a valid Referred-By token and did not carry one.',
      ru: 'Для REFER нужен действительный токен Referred-By, а его нет.',
    },
  },
  {
    code: 430, reason: 'Flow Failed', rfc: 'RFC 5626 §11.5', status: 'iana',
    description: {
      en: 'One outbound flow to the UA failed (others may work); meant between proxies, an endpoint treats it as 400.',
      ru: 'Отказал один исходящий поток (flow) к UA, другие могут работать; предназначен для прокси, оконечное устройство считает его 400.',
    },
  },
  {
    code: 433, reason: 'Anonymity Disallowed', rfc: 'RFC 5079 §5', status: 'iana',
    description: {
      en: 'The callee refuses anonymous calls; send a caller identity.',
      ru: 'Абонент не принимает анонимные вызовы; передайте номер вызывающего.',
    },
  },
  {
    code: 436, reason: 'Bad Identity Info', rfc: 'RFC 8224 (first RFC 4474)', status: 'iana',
    aliases: ['Bad Identity-Info'],
    description: {
      en: 'The certificate reference of the Identity header cannot be fetched or used.',
      ru: 'Ссылку на сертификат из заголовка Identity невозможно получить или использовать.',
    },
  },
  {
    code: 437, reason: 'Unsupported Credential', rfc: 'RFC 8224 (first RFC 4474)', status: 'iana',
    aliases: ['Unsupported Certificate'],
    description: {
      en: 'The certificate that signed the Identity header could not be validated.',
      ru: 'Сертификат, которым подписан заголовок Identity, не удалось проверить.',
    },
  },
  {
    code: 438, reason: 'Invalid Identity Header', rfc: 'RFC 8224 (first RFC 4474)', status: 'iana',
    description: {
      en: 'The certificate was obtained but the Identity signature does not verify.',
      ru: 'Сертификат получен, но подпись Identity не проходит проверку.',
    },
  },
  {
    code: 439, reason: 'First Hop Lacks Outbound Support', rfc: 'RFC 5626 §11.6', status: 'iana',
    description: {
      en: 'The registrar supports outbound (RFC 5626) but the first proxy on the path does not.',
      ru: 'Регистратор поддерживает outbound (RFC 5626), а первый прокси на пути — нет.',
    },
  },
  {
    code: 440, reason: 'Max-Breadth Exceeded', rfc: 'RFC 5393', status: 'iana',
    description: {
      en: 'A proxy would fork wider than Max-Breadth allows, so not all destinations were tried.',
      ru: 'Прокси пришлось бы разветвить вызов шире, чем позволяет Max-Breadth, поэтому опрошены не все направления.',
    },
  },
  {
    code: 469, reason: 'Bad Info Package', rfc: 'RFC 6086', status: 'iana',
    description: {
      en: 'An INFO used an Info Package the UA did not agree to receive (often DTMF via INFO); see Recv-Info.',
      ru: 'INFO использует Info Package, который UA не согласился принимать (часто DTMF через INFO); см. Recv-Info.',
    },
  },
  {
    code: 470, reason: 'Consent Needed', rfc: 'RFC 5360 §5.9.2', status: 'iana',
    description: {
      en: 'The recipient has not consented to requests from this source.',
      ru: 'Получатель не давал согласия на запросы от этого источника.',
    },
  },
  {
    code: 480, reason: 'Temporarily Unavailable', rfc: 'RFC 3261 §21.4.18', status: 'iana',
    description: {
      en: 'The callee was reached but is unavailable now (not registered, do-not-disturb, no answer). Providers also use it for their own routing, billing and database failures.',
      ru: 'Абонент найден, но сейчас недоступен (не зарегистрирован, «не беспокоить», не отвечает). Провайдеры также отвечают так при своих сбоях маршрутизации, биллинга и базы данных.',
    },
  },
  {
    code: 481, reason: 'Call/Transaction Does Not Exist', rfc: 'RFC 3261 §21.4.19', status: 'iana',
    description: {
      en: 'The request matches no dialog or transaction; normal for a late duplicate (e.g. BYE or CANCEL after the call ended).',
      ru: 'Запрос не относится ни к одному диалогу или транзакции; нормально для запоздавшего дубликата (BYE или CANCEL после завершения вызова).',
    },
  },
  {
    code: 482, reason: 'Loop Detected', rfc: 'RFC 3261 §21.4.20', status: 'iana',
    description: {
      en: 'The request came back to a server it already passed: a routing loop between switches.',
      ru: 'Запрос вернулся на сервер, через который уже проходил: петля маршрутизации между коммутаторами.',
    },
  },
  {
    code: 483, reason: 'Too Many Hops', rfc: 'RFC 3261 §21.4.21', status: 'iana',
    description: {
      en: 'Max-Forwards reached zero: too many proxies on the path, often a loop through several carriers.',
      ru: 'Max-Forwards дошёл до нуля: слишком много прокси на пути, часто петля через нескольких операторов.',
    },
  },
  {
    code: 484, reason: 'Address Incomplete', rfc: 'RFC 3261 §21.4.22', status: 'iana',
    description: {
      en: 'The dialled number is incomplete (too few digits for the destination).',
      ru: 'Набранный номер неполный (для направления не хватает цифр).',
    },
  },
  {
    code: 485, reason: 'Ambiguous', rfc: 'RFC 3261 §21.4.23', status: 'iana',
    description: {
      en: 'The address matches several users; the response may list candidates in Contact.',
      ru: 'Адрес подходит нескольким пользователям; в Contact могут быть перечислены варианты.',
    },
  },
  {
    code: 486, reason: 'Busy Here', rfc: 'RFC 3261 §21.4.24', status: 'iana',
    aliases: ['Busy'],
    description: {
      en: 'The callee is busy at this end point. Counts as a network-effective answer (SEER), not as a route failure.',
      ru: 'Абонент занят на этом устройстве. Считается эффективным ответом сети (SEER), а не отказом маршрута.',
    },
  },
  {
    code: 487, reason: 'Request Terminated', rfc: 'RFC 3261 §21.4.25', status: 'iana',
    description: {
      en: 'The INVITE was ended by a CANCEL (or BYE): normally the caller hung up before answer.',
      ru: 'INVITE прерван запросом CANCEL (или BYE): обычно вызывающий положил трубку до ответа.',
    },
  },
  {
    code: 488, reason: 'Not Acceptable Here', rfc: 'RFC 3261 §21.4.26', status: 'iana',
    description: {
      en: 'Something in the session description is unacceptable at this end point: usually no common codec, sometimes the media address or encryption.',
      ru: 'Что-то в описании сеанса неприемлемо для этого устройства: обычно нет общего кодека, иногда адрес медиа или шифрование.',
    },
  },
  {
    code: 489, reason: 'Bad Event', rfc: 'RFC 6665 §8.3.2 (first RFC 3265)', status: 'iana',
    description: {
      en: 'The event package in the Event header of a SUBSCRIBE or NOTIFY is not understood.',
      ru: 'Пакет событий из заголовка Event в SUBSCRIBE или NOTIFY не поддерживается.',
    },
  },
  {
    code: 491, reason: 'Request Pending', rfc: 'RFC 3261 §21.4.27', status: 'iana',
    description: {
      en: 'Another request of the same dialog is still in progress (re-INVITE glare); retry after a random delay.',
      ru: 'В том же диалоге ещё обрабатывается другой запрос (встречные re-INVITE); повторите через случайную паузу.',
    },
  },
  {
    code: 493, reason: 'Undecipherable', rfc: 'RFC 3261 §21.4.28', status: 'iana',
    description: {
      en: 'An encrypted S/MIME body cannot be decrypted by the recipient.',
      ru: 'Получатель не может расшифровать зашифрованное тело S/MIME.',
    },
  },
  {
    code: 494, reason: 'Security Agreement Required', rfc: 'RFC 3329 §2.3', status: 'iana',
    description: {
      en: 'A security mechanism has to be negotiated first; the response offers the supported ones.',
      ru: 'Сначала нужно согласовать механизм безопасности; в ответе перечислены поддерживаемые.',
    },
  },
  {
    code: 499, reason: 'Codec Mismatch', rfc: 'none (provider-specific)', status: 'nonstandard',
    description: {
      en: 'Not defined by any RFC nor registered; seen from providers for a codec mismatch. Clients treat unknown 4xx codes as 400.',
      ru: 'Не определён ни одним RFC и не зарегистрирован; встречается у провайдеров при несовпадении кодеков. Клиенты трактуют неизвестные 4xx как 400.',
    },
  },
  // 5xx server failure
  {
    code: 500, reason: 'Server Internal Error', rfc: 'RFC 3261 §21.5.1', status: 'iana',
    description: {
      en: 'The server hit an unexpected condition. From a carrier usually a failure of its own platform (database, billing, rate limits).',
      ru: 'На сервере непредвиденная ошибка. У оператора обычно это сбой его собственной платформы (база данных, биллинг, ограничения).',
    },
  },
  {
    code: 501, reason: 'Not Implemented', rfc: 'RFC 3261 §21.5.2', status: 'iana',
    description: {
      en: 'The server does not support the request method at all (compare 405: known but not allowed).',
      ru: 'Сервер вообще не поддерживает метод запроса (в отличие от 405: метод известен, но не разрешён).',
    },
  },
  {
    code: 502, reason: 'Bad Gateway', rfc: 'RFC 3261 §21.5.3', status: 'iana',
    description: {
      en: 'A gateway or proxy got an invalid response from the next server on the path.',
      ru: 'Шлюз или прокси получил некорректный ответ от следующего сервера на пути.',
    },
  },
  {
    code: 503, reason: 'Service Unavailable', rfc: 'RFC 3261 §21.5.4', status: 'iana',
    description: {
      en: 'The server is overloaded or in maintenance; Retry-After may say when to come back. Proxies also send it when no next hop answers.',
      ru: 'Сервер перегружен или на обслуживании; Retry-After может указать, когда повторить. Прокси также отвечают так, когда не отвечает ни один следующий узел.',
    },
  },
  {
    code: 504, reason: 'Server Time-out', rfc: 'RFC 3261 §21.5.5', status: 'iana',
    description: {
      en: 'A server on the path got no timely answer from the server it forwarded to (or from DNS).',
      ru: 'Сервер на пути не получил своевременного ответа от следующего сервера (или от DNS).',
    },
  },
  {
    code: 505, reason: 'Version Not Supported', rfc: 'RFC 3261 §21.5.6', status: 'iana',
    description: {
      en: 'The SIP version of the request is not supported.',
      ru: 'Версия протокола SIP в запросе не поддерживается.',
    },
  },
  {
    code: 513, reason: 'Message Too Large', rfc: 'RFC 3261 §21.5.7', status: 'iana',
    description: {
      en: 'The message is longer than the server can process (over UDP often a sign that TCP is needed).',
      ru: 'Сообщение длиннее, чем сервер может обработать (для UDP часто признак того, что нужен TCP).',
    },
  },
  {
    code: 555, reason: 'Push Notification Service Not Supported', rfc: 'RFC 8599 §14.2.1', status: 'iana',
    description: {
      en: 'The push notification service named in the pn-provider URI parameter is not supported.',
      ru: 'Сервис push-уведомлений из параметра URI pn-provider не поддерживается.',
    },
  },
  {
    code: 580, reason: 'Precondition Failure', rfc: 'RFC 3312 §8', status: 'iana',
    description: {
      en: 'The preconditions in the offer (e.g. QoS reservation) cannot or will not be met.',
      ru: 'Предусловия из предложения (например, резервирование QoS) не могут или не будут выполнены.',
    },
  },
  // 6xx global failure
  {
    code: 600, reason: 'Busy Everywhere', rfc: 'RFC 3261 §21.6.1', status: 'iana',
    description: {
      en: 'The callee is busy and knows that no other destination (voicemail, another device) will take the call.',
      ru: 'Абонент занят, и другого направления (голосовая почта, другое устройство) для вызова нет.',
    },
  },
  {
    code: 603, reason: 'Decline', rfc: 'RFC 3261 §21.6.2', status: 'iana',
    aliases: ['Declined'],
    description: {
      en: 'The callee explicitly refuses the call, and no other destination will take it.',
      ru: 'Абонент явно отказывается от вызова, и другого направления для него нет.',
    },
  },
  {
    code: 604, reason: 'Does Not Exist Anywhere', rfc: 'RFC 3261 §21.6.3', status: 'iana',
    description: {
      en: 'Authoritative: the user does not exist anywhere.',
      ru: 'Достоверно: такого пользователя нет нигде.',
    },
  },
  {
    code: 606, reason: 'Not Acceptable', rfc: 'RFC 3261 §21.6.4', status: 'iana',
    description: {
      en: 'The callee was reached but rejects the session as described (media, bandwidth or addressing) everywhere.',
      ru: 'Абонент достигнут, но отвергает предложенный сеанс (медиа, полосу, адресацию) на всех устройствах.',
    },
  },
  {
    code: 607, reason: 'Unwanted', rfc: 'RFC 8197', status: 'iana',
    description: {
      en: 'The called person marked this call as unwanted (spam); further calls from this caller will likely be rejected too.',
      ru: 'Вызываемый абонент пометил вызов как нежелательный (спам); следующие вызовы от этого номера, скорее всего, тоже будут отклонены.',
    },
  },
  {
    code: 608, reason: 'Rejected', rfc: 'RFC 8688', status: 'iana',
    description: {
      en: 'An intermediary (a call-blocking or analytics service), not the callee, rejected the call; a jCard in Call-Info may say whom to contact.',
      ru: 'Вызов отклонил посредник (сервис блокировки или аналитики), а не абонент; jCard в Call-Info может указать, куда обращаться.',
    },
  },
];
