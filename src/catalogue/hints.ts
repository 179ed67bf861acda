import type { HintData } from './types.js';

/**
 * Troubleshooting hints. `codes`: shown for every phrase of those codes; variants name further hints by id;
 * `topic`: a known problem that `explain` finds without a code (e.g. `explain "No DNS result"`), by keywords.
 */
export const HINTS: readonly HintData[] = [
  {
    id: 'auth-challenge',
    codes: [401, 407],
    text: {
      en: 'One 401/407 followed by the same request with credentials is the normal digest handshake, not a failure; sipscope counts the pair as one attempt.',
      ru: 'Один 401/407, за которым следует тот же запрос с учётными данными, — обычная digest-аутентификация, а не отказ; sipscope считает такую пару одной попыткой.',
    },
  },
  {
    id: 'credentials',
    codes: [401, 403, 407],
    text: {
      en: 'Wrong login or password of the SIP account: retype both, they are case-sensitive. Some PBX ports answer 401 where others answer 403; a misconfigured SIP trunk gives the same.',
      ru: 'Неверный логин или пароль SIP-аккаунта: введите их заново с учётом регистра. Одни порты АТС отвечают 401, другие 403; неправильно настроенный SIP-транк даёт то же самое.',
    },
  },
  {
    id: 'timeout-transport',
    codes: [408],
    text: {
      en: 'The request left but no answer came back: check the account settings and the firewall, and try the other transport (UDP ↔ TCP).',
      ru: 'Запрос ушёл, а ответа нет: проверьте настройки аккаунта и межсетевой экран, попробуйте сменить транспорт (UDP ↔ TCP).',
    },
  },
  {
    id: 'codecs',
    codes: [415, 488, 499, 606],
    text: {
      en: 'No codec in common: compare the codec lists in the SDP of both sides, enable a codec the far end supports (or transcode), then call again.',
      ru: 'Нет общего кодека: сравните списки кодеков в SDP обеих сторон, включите кодек, который поддерживает другая сторона (или транскодируйте), и повторите вызов.',
    },
  },
  {
    id: 'number-incomplete',
    codes: [484],
    text: {
      en: 'The number was dialled short (for example fewer than 10 digits of a national number): check the dialled digits and the number-normalisation rules.',
      ru: 'Номер набран не полностью (например, меньше 10 цифр национального номера): проверьте набранные цифры и правила нормализации номера.',
    },
  },
  {
    id: 'busy',
    codes: [486, 600],
    text: {
      en: 'The callee is busy: try later. If the number is really free (check it through another operator), take it to the provider.',
      ru: 'Абонент занят: позвоните позже. Если номер на самом деле свободен (проверьте через другого оператора), обратитесь к провайдеру.',
    },
  },
  {
    id: 'simbox-486',
    codes: [486],
    text: {
      en: 'SIM-box (GSM gateway) routes also answer 486 when the mobile operator has blocked their SIM cards. 486 is not re-routed, so such a vendor kills the traffic: a 486 spike with falling ASR on one vendor, on numbers known to be free, is evidence for the vendor and a reason to pull the route.',
      ru: 'SIM-боксы (GSM-шлюзы) тоже отвечают 486, когда оператор заблокировал их SIM-карты. По 486 перемаршрутизации нет, поэтому такой вендор «убивает» трафик: всплеск 486 и падение ASR у одного вендора на заведомо свободных номерах — доказательство для вендора и повод снять маршрут.',
    },
  },
  {
    id: 'overload',
    codes: [503],
    text: {
      en: 'The server is overloaded, in maintenance or unreachable: honour Retry-After, re-route meanwhile, and ask the provider whether it is down.',
      ru: 'Сервер перегружен, на обслуживании или недоступен: соблюдайте Retry-After, пока перемаршрутизируйте вызовы и уточните у провайдера, не авария ли у него.',
    },
  },
  {
    id: 'provider-failure',
    codes: [500, 502, 504],
    text: {
      en: 'A failure inside the provider\'s platform, usually affecting everyone: re-route and ask their support for details.',
      ru: 'Сбой внутри платформы провайдера, обычно затрагивающий всех: перемаршрутизируйте и уточните подробности в его техподдержке.',
    },
  },
  {
    id: 'blacklisted',
    codes: [603, 607, 608],
    text: {
      en: 'The callee does not accept calls from this number and has probably blacklisted it; the provider can confirm.',
      ru: 'Абонент не принимает вызовы с этого номера и, вероятно, внёс его в чёрный список; провайдер может это подтвердить.',
    },
  },
  {
    id: 'no-ack-30s',
    codes: [200],
    topic: {
      title: { en: 'Calls drop about 30 s after answer', ru: 'Вызовы обрываются примерно через 30 с после ответа' },
      rules: [
        // a number of seconds (`30 s`, `30 секунд`), not `30 calls` or `30 minutes`
        '30s|32s|полминут + drop|disconnect|hang|cut|end|terminat|tear|torn|die|обрыв|оборв|разрыв|разорв|рвет|рвут|заверш|сбрас|сброс|отключ|отвал|разъедин|прерыв|прерв|пада|кладет',
      ],
    },
    text: {
      en: 'Calls that end by themselves about 30 s after answer: the ACK to the 200 OK never reached the callee (NAT or a firewall rewrote or lost it), so the callee retransmits the 200 OK for 64×T1 = 32 s (RFC 3261 §13.3.1.4), then gives up and hangs up. Check NAT, SIP ALG and firewall settings, then the provider.',
      ru: 'Вызов сам обрывается примерно через 30 с после ответа: ACK на 200 OK не дошёл до вызываемой стороны (NAT или межсетевой экран его исказил или потерял), поэтому она повторяет 200 OK в течение 64×T1 = 32 с (RFC 3261 §13.3.1.4), а затем сбрасывает вызов. Проверьте NAT, SIP ALG и межсетевой экран, затем обратитесь к провайдеру.',
    },
  },
  {
    id: 'ghost-calls',
    codes: [],
    topic: {
      title: { en: 'Ghost calls from short numbers', ru: 'Призрачные звонки с коротких номеров' },
      // a short number the calls come from (`calls from 100`, `звонки с 1000`), not a count (`calls to 1000
      // numbers`, `звонков 1000 сегодня`): a 3-digit number after `from` is no response code (query.ts)
      rules: [
        'ghost', 'phantom', 'призрач', 'фантом',
        'call|ring|звон|вызов + from|incoming|=с|=со|=от|входящ + 100|1000|1001|1002|1003',
        'call|ring|звон|вызов + short|strange|коротк|непонятн|странн + number|номер',
      ],
    },
    text: {
      en: 'Incoming calls from short numbers such as 1000, 1001, 1002 with silence on answer are scanners probing your account or PBX. Move the local SIP port off 5060 (e.g. 5061–5099), accept SIP only from the provider\'s addresses, use strong passwords; if it goes on, tell the provider.',
      ru: 'Входящие с коротких номеров вроде 1000, 1001, 1002 с тишиной при ответе — сканеры, подбирающие доступ к вашему аккаунту или АТС. Смените локальный SIP-порт с 5060 (например, на 5061–5099), принимайте SIP только с адресов провайдера, используйте стойкие пароли; если не помогает — сообщите провайдеру.',
    },
  },
  {
    id: 'no-dns',
    codes: [],
    topic: {
      title: { en: '"No DNS result" on the phone', ru: 'Ошибка «No DNS result» на телефоне' },
      rules: ['dns'],
    },
    text: {
      en: '"No DNS result" is the phone\'s own error: the server\'s domain name did not resolve. Fix DNS on the device or enter the server\'s IP address instead of its name; if that does not help, ask the provider.',
      ru: '«No DNS result» — ошибка самого устройства: доменное имя сервера не разрешилось. Исправьте DNS на устройстве или укажите IP-адрес сервера вместо имени; если не помогает — обратитесь к провайдеру.',
    },
  },
  // Hints named by provider variants (variants.ts).
  {
    id: 'stale-nonce',
    codes: [],
    text: {
      en: 'The nonce of the digest challenge no longer matches: check the device\'s date, time and NTP, and the digest algorithm; make sure nothing on the client side blocks the provider\'s server; on a cloud PBX check the extension\'s presence status.',
      ru: 'Nonce из запроса аутентификации больше не совпадает: проверьте дату, время и NTP на устройстве и алгоритм digest; убедитесь, что на стороне клиента ничто не блокирует сервер провайдера; в облачной АТС проверьте статус присутствия абонента.',
    },
  },
  {
    id: 'no-money',
    codes: [],
    text: {
      en: 'The account balance at this provider is exhausted: top it up. The route itself works; re-routing hides the problem only until the other balances run out too.',
      ru: 'На счёте у этого провайдера закончились деньги: пополните баланс. Сам маршрут исправен; перемаршрутизация скрывает проблему, пока не закончатся и другие балансы.',
    },
  },
  {
    id: 'no-route',
    codes: [],
    vendorFailure: true,
    text: {
      en: 'The provider has no gateway for this destination in your plan: ask them to open the destination, or send it to another vendor.',
      ru: 'У провайдера нет шлюза для этого направления в вашем тарифе: попросите открыть направление или отправьте трафик другому вендору.',
    },
  },
  {
    id: 'db-failure',
    codes: [],
    vendorFailure: true,
    text: {
      en: 'The provider\'s central database failed or timed out; usually transient and affects all its customers. Re-route and report it with timestamps.',
      ru: 'Сбой или таймаут центральной базы данных провайдера; обычно временный и затрагивает всех его клиентов. Перемаршрутизируйте и сообщите провайдеру время сбоев.',
    },
  },
  {
    id: 'wrong-number',
    codes: [],
    numberFailure: true,
    text: {
      en: 'The dialled number is wrong or does not exist: check the digits and the country and area code. If the number is right, check the format this vendor expects (E.164, a prefix) in the route\'s number normalisation. Another vendor would reject a wrong number too, so re-routing does not help.',
      ru: 'Набранный номер неверен или не существует: проверьте цифры, код страны и города. Если номер верный, проверьте в правилах нормализации номера на маршруте формат, который ждёт этот вендор (E.164, префикс). Неверный номер отклонит и другой вендор, поэтому перемаршрутизация не поможет.',
    },
  },
  {
    id: 'cps-limit',
    codes: [],
    text: {
      en: 'You exceed the calls-per-second (or concurrent calls) limit of the account: pace the traffic or ask for a higher limit.',
      ru: 'Превышен лимит вызовов в секунду (или одновременных вызовов) аккаунта: снизьте интенсивность или попросите увеличить лимит.',
    },
  },
  {
    id: 'private-ip',
    codes: [],
    text: {
      en: 'The SDP offers a private (RFC 1918) media address: configure the external address for media on the PBX or SBC, or disable a broken SIP ALG on the router.',
      ru: 'В SDP указан частный адрес медиа (RFC 1918): настройте внешний адрес для медиа на АТС или SBC либо отключите неисправный SIP ALG на роутере.',
    },
  },
  {
    id: 'dnd',
    codes: [480],
    text: {
      en: 'When the callee is one of your extensions: check that it is registered and that do-not-disturb is off.',
      ru: 'Если вызываемый — ваш абонент: проверьте, что он зарегистрирован и не включён режим «не беспокоить».',
    },
  },
  {
    id: 'duplicate',
    codes: [481],
    text: {
      en: 'Harmless when it answers a retransmitted or late BYE/CANCEL; worrying only when it answers the first request of a live call.',
      ru: 'Безвредно, если это ответ на повторный или запоздавший BYE/CANCEL; тревожно, только если так ответили на первый запрос действующего вызова.',
    },
  },
];
