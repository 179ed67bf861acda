import type { VariantData } from './types.js';

/**
 * Reason phrases that providers and PBXs send instead of the default one, spelled exactly as seen on the wire
 * (typos included: they are identifiers). Phrases that only differ from the default in case or punctuation
 * need no entry: matching ignores both.
 */
export const VARIANTS: readonly VariantData[] = [
  {
    code: 182, reason: 'Call is Queued',
    description: {
      en: 'Older wording of 182 Queued: the callee is busy or away and the call waits in a queue.',
      ru: 'Старое написание 182 Queued: абонент занят или недоступен, вызов ждёт в очереди.',
    },
  },
  {
    code: 401, reason: 'AUTH Error: Stall nonce', aliases: ['AUTH Error: Stale nonce'],
    description: {
      en: 'The credentials were computed against a nonce the server no longer accepts ("stale" nonce): the device clock, the digest algorithm, or a blocked server are the usual causes.',
      ru: 'Учётные данные вычислены по nonce, который сервер больше не принимает (устаревший nonce): обычные причины — часы устройства, алгоритм digest или заблокированный сервер.',
    },
    hints: ['stale-nonce'],
  },
  {
    code: 401, reason: 'Expired Authorization',
    description: {
      en: 'The registration has expired; the device has to register again.',
      ru: 'Срок регистрации истёк; устройству нужно зарегистрироваться заново.',
    },
  },
  {
    code: 403, reason: 'No Such User',
    description: {
      en: 'The account is unknown: a mistake in the number, the login or the password.',
      ru: 'Аккаунт не найден: ошибка в номере, логине или пароле.',
    },
  },
  {
    code: 403, reason: 'No license available',
    description: {
      en: 'The PBX or SBC has used up its SIP licences (channels or accounts).',
      ru: 'У АТС или SBC закончились SIP-лицензии (каналы или аккаунты).',
    },
  },
  {
    code: 403, reason: 'You',
    description: {
      en: 'A truncated phrase of some platforms meaning the same as No Such User: wrong number, login or password.',
      ru: 'Обрезанная фраза некоторых платформ, означает то же, что No Such User: неверный номер, логин или пароль.',
    },
  },
  {
    code: 403, reason: 'User Disabled',
    description: {
      en: 'The account exists but has been switched off by the provider.',
      ru: 'Аккаунт существует, но отключён провайдером.',
    },
  },
  {
    code: 403, reason: 'You do not have the required right',
    description: {
      en: 'The user in the From header is not allowed to make this call: usually a wrong login in From.',
      ru: 'Пользователю из заголовка From этот вызов не разрешён: обычно в From указан неверный логин.',
    },
  },
  {
    code: 403, reason: 'Wrong Guess',
    description: {
      en: 'The password is wrong.',
      ru: 'Неверный пароль.',
    },
  },
  {
    code: 403, reason: 'Conflict',
    description: {
      en: 'This SIP number is already in use (registered from elsewhere).',
      ru: 'Этот SIP-номер уже используется (зарегистрирован в другом месте).',
    },
  },
  {
    code: 403, reason: 'Empty Route Set',
    description: {
      en: 'The provider\'s routing has no gateway at all for this call.',
      ru: 'В маршрутизации провайдера для этого вызова нет ни одного шлюза.',
    },
    hints: ['no-route'],
  },
  {
    code: 403, reason: 'Caller Not Registered',
    description: {
      en: 'The calling user is unknown or not registered at the provider.',
      ru: 'Вызывающий пользователь неизвестен провайдеру или не зарегистрирован.',
    },
  },
  {
    code: 403, reason: 'Out of Look-Ahead Retries',
    description: {
      en: 'The provider tried every gateway of its route list and all failed.',
      ru: 'Провайдер перебрал все шлюзы своего списка маршрутов, и все отказали.',
    },
    hints: ['no-route'],
  },
  {
    code: 403, reason: 'Invalid Phone Number',
    description: {
      en: 'No such destination: the number matches nothing in the provider\'s routing.',
      ru: 'Нет такого направления: номер не подходит ни под один маршрут провайдера.',
    },
    hints: ['no-route'],
  },
  {
    code: 403, reason: 'No Money Left on RFC Account',
    description: {
      en: 'The balance is too low to place the call.',
      ru: 'На счёте недостаточно денег для вызова.',
    },
    hints: ['no-money'],
  },
  // From the source's troubleshooting table (what phones display), not from a status line.
  {
    code: 403, reason: 'not found',
    description: {
      en: 'Used by some platforms instead of 404 when the dialled number is wrong or does not exist: check the dialled number.',
      ru: 'Так некоторые платформы отвечают вместо 404, когда номер набран неверно или не существует: проверьте набранный номер.',
    },
    hints: ['wrong-number'],
  },
  {
    code: 404, reason: 'Undefined Reason',
    description: {
      en: 'The destination is not defined at the provider.',
      ru: 'Направление у провайдера не определено.',
    },
    hints: ['no-route'],
  },
  {
    code: 404, reason: 'Unknown user account',
    description: {
      en: 'The login and password were not found.',
      ru: 'Логин и пароль не найдены.',
    },
  },
  {
    code: 404, reason: 'Out of Order',
    description: {
      en: 'The routing entry for this destination has no terminating gateways.',
      ru: 'В записи маршрутизации для этого направления нет принимающих шлюзов.',
    },
    hints: ['no-route'],
  },
  {
    code: 406, reason: 'No codecs match',
    description: {
      en: 'The codec configuration does not match the far end (used instead of 488).',
      ru: 'Настройки кодеков не совпадают с другой стороной (используется вместо 488).',
    },
    hints: ['codecs'],
  },
  {
    code: 407, reason: 'User not found',
    description: {
      en: 'The proxy does not know the user being authenticated: check the account id on the provider\'s server (e.g. CommuniGate Pro).',
      ru: 'Прокси не знает аутентифицируемого пользователя: проверьте идентификатор аккаунта на сервере провайдера (например, CommuniGate Pro).',
    },
  },
  {
    code: 408, reason: 'Login timed out',
    description: {
      en: 'The server did not answer the authentication request in time.',
      ru: 'Сервер не ответил на запрос авторизации за отведённое время.',
    },
  },
  {
    code: 410, reason: 'No Route',
    description: {
      en: 'Same meaning as 403 Empty Route Set: no route to the destination, or it no longer exists.',
      ru: 'То же, что 403 Empty Route Set: нет маршрута к направлению, или его больше не существует.',
    },
    hints: ['no-route'],
  },
  {
    code: 415, reason: 'No Media',
    description: {
      en: 'The call offers a codec the far end does not support.',
      ru: 'Вызов предлагает кодек, который другая сторона не поддерживает.',
    },
  },
  {
    code: 416, reason: 'Unsupported Scheme',
    description: {
      en: 'Shorter wording of 416: the address scheme of the Request-URI is not recognised.',
      ru: 'Сокращённое написание 416: схема адреса в Request-URI не распознана.',
    },
  },
  {
    code: 480, reason: 'Invalid Phone Number',
    description: {
      en: 'The number is wrong: too many or too few digits, or a wrong country or area code.',
      ru: 'Неверный номер: не то количество цифр либо неверный код страны или города.',
    },
    hints: ['wrong-number'],
  },
  {
    code: 480, reason: 'Destination Not Found In Client Plan',
    description: {
      en: 'The destination is not in the customer\'s rate plan.',
      ru: 'Направления нет в тарифном плане клиента.',
    },
    hints: ['no-route'],
  },
  {
    code: 480, reason: 'Wrong DB Response',
    description: {
      en: 'The provider\'s central database gave an invalid answer.',
      ru: 'Центральная база данных провайдера дала неверный ответ.',
    },
    hints: ['db-failure'],
  },
  {
    code: 480, reason: 'DB Timeout',
    description: {
      en: 'The provider\'s central database did not answer in time.',
      ru: 'Центральная база данных провайдера не ответила вовремя.',
    },
    hints: ['db-failure'],
  },
  {
    code: 480, reason: 'Database Error',
    description: {
      en: 'The provider\'s central database failed.',
      ru: 'Сбой центральной базы данных провайдера.',
    },
    hints: ['db-failure'],
  },
  {
    code: 480, reason: 'Codec Mismatch',
    description: {
      en: 'No codec in common with the far end (sent as 480 instead of 488).',
      ru: 'Нет общего кодека с другой стороной (отправлено как 480 вместо 488).',
    },
    hints: ['codecs'],
  },
  {
    code: 480, reason: 'No Money Left on RFC Account',
    description: {
      en: 'The balance is too low to place the call (sent as 480).',
      ru: 'На счёте недостаточно денег для вызова (отправлено как 480).',
    },
    hints: ['no-money'],
  },
  {
    code: 480, reason: 'Empty Route Set',
    description: {
      en: 'The destination has no terminating gateways at the provider.',
      ru: 'У провайдера нет принимающих шлюзов для этого направления.',
    },
    hints: ['no-route'],
  },
  {
    code: 480, reason: 'No money left',
    description: {
      en: 'The balance is exhausted.',
      ru: 'Деньги на счёте закончились.',
    },
    hints: ['no-money'],
  },
  {
    code: 481, reason: 'Call Leg/Transaction Does Not Exist',
    description: {
      en: 'RFC 2543 wording of 481: no matching dialog or transaction, normal for a duplicate packet.',
      ru: 'Написание 481 из RFC 2543: нет подходящего диалога или транзакции, нормально для дублирующего пакета.',
    },
  },
  // From the source's troubleshooting table, typo included: the wire and the display keep it.
  {
    code: 484, reason: 'Addres incomplete',
    description: {
      en: 'Misspelt 484 Address Incomplete, as some phones display it: the number was dialled incomplete.',
      ru: '484 Address Incomplete с опечаткой, как его показывают некоторые телефоны: номер набран не полностью.',
    },
  },
  {
    code: 488, reason: 'Codec Mismatch',
    description: {
      en: 'No gateway supports the requested codec.',
      ru: 'Ни один шлюз не поддерживает запрошенный кодек.',
    },
  },
  {
    code: 488, reason: 'Private IP Address',
    description: {
      en: 'The RTP media address in the SDP is from a private RFC 1918 network.',
      ru: 'Адрес RTP-медиа в SDP из частной сети RFC 1918.',
    },
    hints: ['private-ip'],
  },
  {
    code: 493, reason: 'Undeciperable',
    description: {
      en: 'Misspelt 493 Undecipherable: the S/MIME body cannot be decrypted.',
      ru: '493 Undecipherable с опечаткой: тело S/MIME невозможно расшифровать.',
    },
  },
  {
    code: 500, reason: 'Internal Server Error',
    description: {
      en: 'HTTP wording of 500 Server Internal Error: an unexpected failure on the server.',
      ru: 'Написание 500 в стиле HTTP: непредвиденная ошибка на сервере.',
    },
  },
  {
    code: 500, reason: 'DB Timeout',
    description: {
      en: 'The provider\'s database did not answer.',
      ru: 'База данных провайдера не ответила.',
    },
    hints: ['db-failure'],
  },
  {
    code: 500, reason: 'Database Error',
    description: {
      en: 'The provider\'s database failed (the same failure as DB Timeout, seen at another stage of the call).',
      ru: 'Сбой базы данных провайдера (тот же сбой, что DB Timeout, на другом этапе вызова).',
    },
    hints: ['db-failure'],
  },
  {
    code: 500, reason: 'Wrong DB Response',
    description: {
      en: 'The provider\'s database returned an invalid answer.',
      ru: 'База данных провайдера вернула неверный ответ.',
    },
    hints: ['db-failure'],
  },
  {
    code: 500, reason: 'Undefined Reason',
    description: {
      en: 'The provider does not say why.',
      ru: 'Провайдер не сообщает причину.',
    },
  },
  {
    code: 500, reason: 'account has been moved to a remote system',
    description: {
      en: 'The account now lives on another system of the provider; register there.',
      ru: 'Аккаунт перенесён на другую систему провайдера; регистрируйтесь там.',
    },
  },
  {
    code: 500, reason: 'Call placing quota exceeded',
    description: {
      en: 'The calls-per-second limit (CPS) of the account was exceeded.',
      ru: 'Превышен лимит вызовов в секунду (CPS) аккаунта.',
    },
    hints: ['cps-limit'],
  },
  {
    code: 501, reason: 'Method Not Supported Here',
    description: {
      en: 'The server does not implement the request method.',
      ru: 'Сервер не реализует метод запроса.',
    },
  },
  {
    code: 505, reason: 'SIP Version not supported',
    description: {
      en: 'Longer wording of 505: the SIP version of the request is not supported.',
      ru: 'Расширенное написание 505: версия SIP в запросе не поддерживается.',
    },
  },
  {
    code: 513, reason: 'Message too big',
    description: {
      en: 'Other wording of 513 Message Too Large: the message is too long for the server.',
      ru: 'Другое написание 513 Message Too Large: сообщение слишком длинное для сервера.',
    },
  },
];
