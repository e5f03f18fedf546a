// UI strings in English, German and Chinese. Partner data (film titles, dishes) is shown as the partner sent it.

const STRINGS = {
  en: {
    skip: "Skip to content", language: "Language",
    "nav.chat": "Chat", "nav.privacy": "Privacy", "nav.services": "Services",
    "chat.label": "Message", "chat.placeholder": "Message",
    "chat.send": "Send", "chat.image": "Attach a poster", "chat.voice": "Speak",
    "chat.prepared": "I prepared {n} task(s). Nothing is bought before you confirm.",
    "chat.answered": "Here is what I found or did; nothing waits for your OK.",
    "chat.listening": "Listening… press the microphone again to stop.",
    "chat.transcribing": "Transcribing…", "chat.reading": "Reading the image…",
    "chat.error": "Something went wrong: {msg}", "chat.busy": "Busy with other requests; trying again in {n} s…", "chat.earlier": "Your tasks in this conversation:",
    "login.expired": "This login link expired at {when}. For a new one, run tandem keys link in a terminal; until then you can chat, but not confirm purchases.",
    "login.refused": "This login link opened no session: {msg}",
    "chat.noanswer": "(The model gave no answer.)", "chat.poster": "Buy cinema tickets for {title}", "chat.empty": "What can I do for you?",
    "state.planned": "Planning", "state.needs-info": "Question", "state.awaiting-confirmation": "Awaiting your OK",
    "state.running": "Ordering…", "state.done": "Done", "state.failed": "Failed", "state.cancelled": "Cancelled",
    "intent.order_food": "Food order", "intent.buy_movie_tickets": "Cinema tickets",
    "intent.set_reminder": "Reminder", "intent.show_reminders": "Reminders", "intent.buy_event_tickets": "Event tickets",
    "intent.add_calendar_event": "Calendar entry", "intent.take_note": "Note", "intent.find_route": "Route",
    "intent.search_products": "Product search", "intent.buy_product": "Purchase",
    "intent.track_food_order": "Food order status", "intent.cancel_food_order": "Cancel food order",
    "intent.refund_tickets": "Ticket refund", "intent.show_ticket_order": "Ticket order",
    "intent.show_movie_order": "Cinema order", "intent.cancel_movie_tickets": "Cancel cinema tickets",
    "intent.track_shopping_order": "Parcel status",
    "intent.show_calendar": "Calendar", "intent.cancel_calendar_event": "Cancel appointment",
    "intent.show_notes": "Notes", "field.location": "Place",
    "field.event": "Event", "field.venue": "Venue", "field.section": "Section",
    "card.partner": "Partner", "card.price": "Price", "card.review": "Review and confirm",
    "card.cancel": "Cancel", "card.answer": "Answer", "card.send": "Send", "card.order": "Order",
    "card.waiting": "Waiting for {s}", "card.broken": "This card could not be shown.",
    "field.film": "Film", "field.cinema": "Cinema", "field.starts_at": "Time", "field.tickets": "Tickets",
    "field.restaurant": "Restaurant", "field.items": "Items", "field.address": "Address",
    "field.eta_minutes": "Delivery (min)", "field.holder": "Name", "field.reminder": "Reminder", "field.due_at": "Due",
    "field.price_each": "Each", "field.payment": "Payment",
    "confirm.title": "Confirm purchase", "confirm.what": "What", "confirm.from": "From", "confirm.cost": "Total",
    "confirm.yes": "Confirm and pay", "confirm.decline": "Decline",
    "confirm.changed": "Something changed since you looked. Nothing was bought; please check again.",
    "privacy.title": "Privacy", "privacy.requests": "Today's requests", "privacy.device": "On this device",
    "privacy.cloud": "In the cloud", "privacy.ledger": "What left this device", "privacy.none": "Nothing yet.",
    "privacy.consent": "Consent", "privacy.c.cloud": "Allow the cloud", "privacy.c.cross_border":
      "Allow transfers outside my region's safe area", "privacy.c.health": "Allow health topics in the cloud",
    "privacy.device_only": "Device-only mode", "privacy.device_only.hint": "Nothing leaves this device.",
    "privacy.export": "Export ledger", "privacy.erase": "Erase my data",
    "privacy.erase.ask": "Erase everything Tandem keeps about you on this device (conversations and orders, profile, memory, the egress ledger and privacy settings)?",
    "privacy.erased": "Erased {n} ledger records.", "privacy.col.time": "Time", "privacy.col.endpoint": "Endpoint",
    "privacy.col.region": "Region", "privacy.col.removed": "Removed before sending", "privacy.col.reason": "Why",
    "privacy.col.status": "Status", "privacy.col.tier": "Where", "privacy.col.what": "Request",
    "privacy.why.hard": "Sent to the cloud model because the request looked too hard for the on-device model (score {score} ≥ {threshold})",
    "privacy.why.chosen": "Sent to the cloud model because it was asked for by name ({model})",
    "privacy.why.long": "Sent to the cloud model because the conversation is too long for the on-device model",
    "privacy.why.images": "Sent to the cloud model because the request has images the on-device model cannot see",
    "privacy.why.tools": "Sent to the cloud model because the request needs tools the on-device model cannot use",
    "privacy.why.fallback": "Sent to the cloud model because the on-device model failed",
    "privacy.why.other": "Sent to the cloud model", "privacy.why.replaced": "; your {list} were replaced first.",
    "privacy.why.replaced1": "; your {list} was replaced first.", "privacy.why.nothing": "; nothing personal was found in it.",
    "privacy.why.details": "Technical reason", "pii.PERSON": "name", "pii.EMAIL": "e-mail", "pii.PHONE": "phone number",
    "pii.ADDRESS": "address", "pii.LOCATION": "location", "pii.IBAN": "IBAN", "pii.CREDIT_CARD": "card number",
    "pii.ID_NUMBER": "ID number", "pii.DATE_OF_BIRTH": "date of birth", "pii.IP_ADDRESS": "IP address",
    "pii.PROPER_NOUN": "other names",
    "data.name": "name", "data.address": "address", "data.phone": "phone number", "data.payment_token": "payment token",
    "data.calendar": "calendar", "data.notes": "notes", "data.location": "location", "data.email": "email",
    "tool.place_order": "placing an order", "tool.cancel_order": "cancelling an order", "tool.buy_tickets": "buying tickets",
    "tool.hold_seats": "holding seats", "tool.refund": "refunds", "region.LOCAL": "only on this device",
    "profile.title": "My details", "profile.why": "Orders are filled from these. They stay on this device.",
    "profile.name": "Name", "profile.phone": "Phone", "profile.city": "City", "profile.payment_token": "Payment token",
    "profile.save": "Save", "profile.saved": "Saved",
    "nav.memory": "Memory", "memory.title": "Memory & suggestions", "memory.mine": "What Tandem knows about my tastes",
    "memory.likes": "likes", "memory.avoids": "avoids", "memory.delete": "Delete", "memory.add": "Add",
    "memory.add.placeholder": "e.g. no horror films", "memory.suggestions": "Suggestions",
    "memory.suggest": "Suggest", "memory.suggest.default": "something to eat", "memory.accept": "Accept",
    "memory.dismiss": "Dismiss", "memory.accepted": "Accepted", "memory.dismissed": "Dismissed",
    "memory.kind.preference": "you said so", "memory.kind.fact": "learned",
    "memory.key.cuisine": "cuisine", "memory.key.genre": "genre", "memory.key.seat": "seat", "memory.key.diet": "diet",
    "memory.key.price_max": "max. price", "memory.key.party_size": "party size",
    "cat.food": "food", "cat.shopping": "shopping", "cat.cinema": "cinema", "cat.tickets": "tickets",
    "cat.office": "office", "cat.navigation": "navigation",
    "cat.film": "film", "cat.event": "event", "cat.product": "product",
    "services.title": "Services", "services.region": "Partners available in region {r}",
    "services.data": "Data they receive", "services.pays": "Needs your confirmation for",
    "services.enabled": "Enabled", "services.processing": "Processes data in", "services.down": "unreachable",
    "services.up": "reachable", "services.unchecked": "not checked yet", "services.notoffered": "Not offered: {r}",
  },
  de: {
    skip: "Zum Inhalt", language: "Sprache",
    "nav.chat": "Chat", "nav.privacy": "Datenschutz", "nav.services": "Dienste",
    "chat.label": "Nachricht", "chat.placeholder": "Nachricht",
    "chat.send": "Senden", "chat.image": "Plakat anhängen", "chat.voice": "Sprechen",
    "chat.prepared": "Ich habe {n} Aufgabe(n) vorbereitet. Gekauft wird erst nach deiner Bestätigung.",
    "chat.answered": "Das habe ich gefunden oder erledigt; nichts wartet auf deine Bestätigung.",
    "chat.listening": "Ich höre zu… Mikrofon erneut drücken zum Beenden.",
    "chat.transcribing": "Wird transkribiert…", "chat.reading": "Bild wird gelesen…",
    "chat.error": "Etwas ist schiefgegangen: {msg}", "chat.busy": "Gerade mit anderen Anfragen beschäftigt; neuer Versuch in {n} s…", "chat.earlier": "Deine Aufgaben in diesem Gespräch:",
    "login.expired": "Dieser Anmeldelink ist um {when} abgelaufen. Einen neuen gibt tandem keys link im Terminal; bis dahin kannst du chatten, aber nichts bestätigen.",
    "login.refused": "Dieser Anmeldelink hat keine Sitzung geöffnet: {msg}",
    "chat.noanswer": "(Das Modell hat nicht geantwortet.)", "chat.poster": "Buch Kinokarten für {title}", "chat.empty": "Was kann ich für dich tun?",
    "state.planned": "Wird geplant", "state.needs-info": "Rückfrage", "state.awaiting-confirmation": "Wartet auf dein OK",
    "state.running": "Wird bestellt…", "state.done": "Erledigt", "state.failed": "Fehlgeschlagen",
    "state.cancelled": "Abgebrochen",
    "intent.order_food": "Essensbestellung", "intent.buy_movie_tickets": "Kinokarten",
    "intent.set_reminder": "Erinnerung", "intent.show_reminders": "Erinnerungen",
    "intent.buy_event_tickets": "Veranstaltungskarten", "field.event": "Veranstaltung", "field.venue": "Ort",
    "intent.add_calendar_event": "Kalendereintrag", "intent.take_note": "Notiz", "intent.find_route": "Wegbeschreibung",
    "intent.search_products": "Produktsuche", "intent.buy_product": "Einkauf",
    "intent.track_food_order": "Status der Essensbestellung", "intent.cancel_food_order": "Essensbestellung stornieren",
    "intent.refund_tickets": "Ticket-Erstattung", "intent.show_ticket_order": "Ticketbestellung",
    "intent.show_movie_order": "Kinobestellung", "intent.cancel_movie_tickets": "Kinokarten stornieren",
    "intent.track_shopping_order": "Paketstatus",
    "intent.show_calendar": "Kalender", "intent.cancel_calendar_event": "Termin absagen",
    "intent.show_notes": "Notizen", "field.location": "Ort",
    "field.section": "Bereich",
    "card.partner": "Partner", "card.price": "Preis", "card.review": "Prüfen und bestätigen",
    "card.cancel": "Abbrechen", "card.answer": "Antwort", "card.send": "Senden", "card.order": "Bestellung",
    "card.waiting": "Wartet auf {s}", "card.broken": "Diese Karte konnte nicht angezeigt werden.",
    "field.film": "Film", "field.cinema": "Kino", "field.starts_at": "Zeit", "field.tickets": "Karten",
    "field.restaurant": "Restaurant", "field.items": "Artikel", "field.address": "Adresse",
    "field.eta_minutes": "Lieferung (Min.)", "field.holder": "Name", "field.reminder": "Erinnerung",
    "field.due_at": "Fällig", "field.price_each": "Einzeln", "field.payment": "Zahlung",
    "confirm.title": "Kauf bestätigen", "confirm.what": "Was", "confirm.from": "Von", "confirm.cost": "Gesamt",
    "confirm.yes": "Bestätigen und bezahlen", "confirm.decline": "Ablehnen",
    "confirm.changed": "Seit du nachgesehen hast, hat sich etwas geändert. Nichts wurde gekauft; bitte prüfe erneut.",
    "privacy.title": "Datenschutz", "privacy.requests": "Heutige Anfragen", "privacy.device": "Auf diesem Gerät",
    "privacy.cloud": "In der Cloud", "privacy.ledger": "Was dieses Gerät verlassen hat", "privacy.none": "Noch nichts.",
    "privacy.consent": "Einwilligung", "privacy.c.cloud": "Cloud erlauben", "privacy.c.cross_border":
      "Übermittlung außerhalb des sicheren Raums erlauben", "privacy.c.health": "Gesundheitsthemen in der Cloud erlauben",
    "privacy.device_only": "Nur-Gerät-Modus", "privacy.device_only.hint": "Nichts verlässt dieses Gerät.",
    "privacy.export": "Protokoll exportieren", "privacy.erase": "Meine Daten löschen",
    "privacy.erase.ask": "Alles löschen, was Tandem auf diesem Gerät über dich speichert (Gespräche und Bestellungen, Profil, Gedächtnis, Übermittlungsprotokoll, Datenschutzeinstellungen)?",
    "privacy.erased": "{n} Protokolleinträge gelöscht.", "privacy.col.time": "Zeit", "privacy.col.endpoint": "Endpunkt",
    "privacy.col.region": "Region", "privacy.col.removed": "Vor dem Senden entfernt", "privacy.col.reason": "Warum",
    "privacy.col.status": "Status", "privacy.col.tier": "Wo", "privacy.col.what": "Anfrage",
    "privacy.why.hard": "An das Cloud-Modell gesendet, weil die Anfrage für das Modell auf dem Gerät zu schwer schien (Wert {score} ≥ {threshold})",
    "privacy.why.chosen": "An das Cloud-Modell gesendet, weil es ausdrücklich gewählt wurde ({model})",
    "privacy.why.long": "An das Cloud-Modell gesendet, weil das Gespräch für das Modell auf dem Gerät zu lang ist",
    "privacy.why.images": "An das Cloud-Modell gesendet, weil die Anfrage Bilder enthält, die das Modell auf dem Gerät nicht sehen kann",
    "privacy.why.tools": "An das Cloud-Modell gesendet, weil die Anfrage Werkzeuge braucht, die das Modell auf dem Gerät nicht nutzen kann",
    "privacy.why.fallback": "An das Cloud-Modell gesendet, weil das Modell auf dem Gerät ausgefallen ist",
    "privacy.why.other": "An das Cloud-Modell gesendet", "privacy.why.replaced": "; vorher ersetzt: {list}.",
    "privacy.why.replaced1": "; vorher ersetzt: {list}.", "privacy.why.nothing": "; darin wurde nichts Persönliches gefunden.",
    "privacy.why.details": "Technischer Grund", "pii.PERSON": "Name", "pii.EMAIL": "E-Mail", "pii.PHONE": "Telefonnummer",
    "pii.ADDRESS": "Adresse", "pii.LOCATION": "Standort", "pii.IBAN": "IBAN", "pii.CREDIT_CARD": "Kartennummer",
    "pii.ID_NUMBER": "Ausweisnummer", "pii.DATE_OF_BIRTH": "Geburtsdatum", "pii.IP_ADDRESS": "IP-Adresse",
    "pii.PROPER_NOUN": "andere Namen",
    "data.name": "Name", "data.address": "Adresse", "data.phone": "Telefonnummer", "data.payment_token": "Zahlungstoken",
    "data.calendar": "Kalender", "data.notes": "Notizen", "data.location": "Standort", "data.email": "E-Mail",
    "tool.place_order": "Bestellen", "tool.cancel_order": "Stornieren", "tool.buy_tickets": "Karten kaufen",
    "tool.hold_seats": "Plätze reservieren", "tool.refund": "Erstattungen", "region.LOCAL": "nur auf diesem Gerät",
    "profile.title": "Meine Angaben", "profile.why": "Bestellungen werden damit ausgefüllt. Sie bleiben auf diesem Gerät.",
    "profile.name": "Name", "profile.phone": "Telefon", "profile.city": "Stadt", "profile.payment_token": "Zahlungs-Token",
    "profile.save": "Speichern", "profile.saved": "Gespeichert",
    "nav.memory": "Gedächtnis", "memory.title": "Gedächtnis & Vorschläge", "memory.mine": "Was Tandem über meinen Geschmack weiß",
    "memory.likes": "mag", "memory.avoids": "meidet", "memory.delete": "Löschen", "memory.add": "Hinzufügen",
    "memory.add.placeholder": "z. B. keine Horrorfilme", "memory.suggestions": "Vorschläge",
    "memory.suggest": "Vorschlagen", "memory.suggest.default": "etwas zu essen", "memory.accept": "Annehmen",
    "memory.dismiss": "Ablehnen", "memory.accepted": "Angenommen", "memory.dismissed": "Abgelehnt",
    "memory.kind.preference": "von dir", "memory.kind.fact": "gelernt",
    "memory.key.cuisine": "Küche", "memory.key.genre": "Genre", "memory.key.seat": "Sitzplatz", "memory.key.diet": "Ernährung",
    "memory.key.price_max": "max. Preis", "memory.key.party_size": "Personen", "memory.key.cinema": "Kino",
    "cat.film": "Film", "cat.event": "Veranstaltung", "cat.product": "Produkt",
    "cat.food": "Essen", "cat.shopping": "Einkaufen", "cat.cinema": "Kino", "cat.tickets": "Tickets",
    "cat.office": "Büro", "cat.navigation": "Navigation",
    "services.title": "Dienste", "services.region": "Partner in Region {r}",
    "services.data": "Daten, die sie erhalten", "services.pays": "Braucht deine Bestätigung für",
    "services.enabled": "Aktiv", "services.processing": "Verarbeitet Daten in", "services.down": "nicht erreichbar",
    "services.up": "erreichbar", "services.unchecked": "noch nicht geprüft", "services.notoffered": "Nicht angeboten: {r}",
  },
  zh: {
    skip: "跳到内容", language: "语言",
    "nav.chat": "对话", "nav.privacy": "隐私", "nav.services": "服务",
    "chat.label": "消息", "chat.placeholder": "输入消息",
    "chat.send": "发送", "chat.image": "上传海报", "chat.voice": "语音",
    "chat.prepared": "已准备 {n} 个任务。确认之前不会购买任何东西。",
    "chat.answered": "这是我找到或完成的；没有需要你确认的事项。",
    "chat.listening": "正在听…再按一次麦克风结束。", "chat.transcribing": "正在转写…", "chat.reading": "正在识别图片…",
    "login.expired": "此登录链接已于{when}过期。请在终端运行 tandem keys link 获取新链接；在此之前可以聊天，但不能确认购买。",
    "login.refused": "此登录链接未能打开会话：{msg}",
    "chat.error": "出错了：{msg}", "chat.busy": "正忙于其他请求，{n} 秒后重试…", "chat.earlier": "本次对话中的任务：", "chat.noanswer": "（模型没有回答。）", "chat.poster": "订{title}的电影票", "chat.empty": "我能帮你做什么？",
    "state.planned": "规划中", "state.needs-info": "需要回答", "state.awaiting-confirmation": "等待确认",
    "state.running": "下单中…", "state.done": "完成", "state.failed": "失败", "state.cancelled": "已取消",
    "intent.order_food": "外卖", "intent.buy_movie_tickets": "电影票",
    "intent.set_reminder": "提醒", "intent.show_reminders": "提醒列表", "intent.buy_event_tickets": "演出门票",
    "intent.add_calendar_event": "日程", "intent.take_note": "笔记", "intent.find_route": "路线",
    "intent.search_products": "商品搜索", "intent.buy_product": "购物",
    "intent.track_food_order": "外卖订单状态", "intent.cancel_food_order": "取消外卖订单",
    "intent.refund_tickets": "退票", "intent.show_ticket_order": "票务订单",
    "intent.show_movie_order": "电影票订单", "intent.cancel_movie_tickets": "退电影票",
    "intent.track_shopping_order": "包裹状态",
    "intent.show_calendar": "日历", "intent.cancel_calendar_event": "取消日程",
    "intent.show_notes": "笔记", "field.location": "地点",
    "field.event": "演出", "field.venue": "场馆", "field.section": "区域",
    "card.partner": "商家", "card.price": "价格", "card.review": "查看并确认",
    "card.cancel": "取消", "card.answer": "回答", "card.send": "发送", "card.order": "订单",
    "card.waiting": "等待 {s}", "card.broken": "此卡片无法显示。",
    "field.film": "电影", "field.cinema": "影院", "field.starts_at": "时间", "field.tickets": "票数",
    "field.restaurant": "餐厅", "field.items": "菜品", "field.address": "地址", "field.eta_minutes": "送达（分钟）",
    "field.holder": "姓名", "field.reminder": "提醒", "field.due_at": "时间", "field.price_each": "单价",
    "field.payment": "支付",
    "confirm.title": "确认购买", "confirm.what": "内容", "confirm.from": "商家", "confirm.cost": "合计",
    "confirm.yes": "确认并支付", "confirm.decline": "拒绝",
    "confirm.changed": "信息已变化，尚未购买，请重新确认。",
    "privacy.title": "隐私", "privacy.requests": "今日请求", "privacy.device": "本机处理", "privacy.cloud": "云端处理",
    "privacy.ledger": "离开本机的数据", "privacy.none": "暂无。", "privacy.consent": "授权",
    "privacy.c.cloud": "允许使用云端", "privacy.c.cross_border": "允许传输到安全区域以外",
    "privacy.c.health": "允许健康话题上云", "privacy.device_only": "仅本机模式",
    "privacy.device_only.hint": "任何数据都不离开本机。", "privacy.export": "导出记录", "privacy.erase": "删除我的数据",
    "privacy.erase.ask": "删除 Tandem 在本机保存的关于你的全部数据（对话和订单、个人信息、记忆、数据外发记录和隐私设置）？", "privacy.erased": "已删除 {n} 条记录。",
    "privacy.col.time": "时间", "privacy.col.endpoint": "端点", "privacy.col.region": "地区",
    "privacy.col.removed": "发送前移除", "privacy.col.reason": "原因", "privacy.col.status": "状态",
    "privacy.col.tier": "位置", "privacy.col.what": "请求",
    "privacy.why.hard": "已发送到云端模型，因为这个请求对本机模型来说太难（评分 {score} ≥ {threshold}）",
    "privacy.why.chosen": "已发送到云端模型，因为指定了该模型（{model}）",
    "privacy.why.long": "已发送到云端模型，因为对话太长，本机模型无法读完",
    "privacy.why.images": "已发送到云端模型，因为请求中有本机模型无法识别的图片",
    "privacy.why.tools": "已发送到云端模型，因为请求需要本机模型无法调用的工具",
    "privacy.why.fallback": "已发送到云端模型，因为本机模型出错", "privacy.why.other": "已发送到云端模型",
    "privacy.why.replaced": "；发送前已替换你的{list}。", "privacy.why.replaced1": "；发送前已替换你的{list}。",
    "privacy.why.nothing": "；其中没有发现个人信息。", "privacy.why.details": "技术原因", "pii.PERSON": "姓名",
    "pii.EMAIL": "邮箱", "pii.PHONE": "电话", "pii.ADDRESS": "地址", "pii.LOCATION": "位置", "pii.IBAN": "IBAN",
    "pii.CREDIT_CARD": "卡号", "pii.ID_NUMBER": "证件号", "pii.DATE_OF_BIRTH": "出生日期", "pii.IP_ADDRESS": "IP 地址",
    "pii.PROPER_NOUN": "其他名称",
    "data.name": "姓名", "data.address": "地址", "data.phone": "电话", "data.payment_token": "支付令牌",
    "data.calendar": "日历", "data.notes": "笔记", "data.location": "位置", "data.email": "邮箱",
    "tool.place_order": "下单", "tool.cancel_order": "取消订单", "tool.buy_tickets": "购票", "tool.hold_seats": "锁座",
    "tool.refund": "退款", "region.LOCAL": "仅在本机",
    "profile.title": "我的信息", "profile.why": "下单时使用这些信息，只保存在本设备上。",
    "profile.name": "姓名", "profile.phone": "电话", "profile.city": "城市", "profile.payment_token": "支付令牌",
    "profile.save": "保存", "profile.saved": "已保存",
    "nav.memory": "记忆", "memory.title": "记忆与推荐", "memory.mine": "Tandem 记住的偏好", "memory.likes": "喜欢",
    "memory.avoids": "不要", "memory.delete": "删除", "memory.add": "添加", "memory.add.placeholder": "例如：不看恐怖片",
    "memory.suggestions": "推荐", "memory.suggest": "推荐", "memory.suggest.default": "吃点东西",
    "memory.accept": "接受", "memory.dismiss": "不感兴趣", "memory.accepted": "已接受", "memory.dismissed": "已忽略",
    "memory.kind.preference": "你说的", "memory.kind.fact": "学到的",
    "memory.key.cuisine": "菜系", "memory.key.genre": "类型", "memory.key.seat": "座位", "memory.key.diet": "饮食",
    "memory.key.price_max": "最高价格", "memory.key.party_size": "人数", "memory.key.cinema": "影院",
    "cat.film": "电影", "cat.event": "活动", "cat.product": "商品",
    "cat.food": "餐饮", "cat.shopping": "购物", "cat.cinema": "电影", "cat.tickets": "票务", "cat.office": "办公",
    "cat.navigation": "出行",
    "services.title": "服务", "services.region": "{r} 地区可用的合作伙伴", "services.data": "他们收到的数据",
    "services.pays": "需要你确认的操作", "services.enabled": "启用", "services.processing": "数据处理地",
    "services.down": "不可用", "services.up": "可用", "services.unchecked": "尚未检查", "services.notoffered": "不提供：{r}",
  },
};

export const LANGUAGES = Object.keys(STRINGS);
let current = "en";

export function pickLanguage() {
  const saved = localStorage.getItem("tandem.lang");
  if (saved && STRINGS[saved]) return saved;
  const browser = (navigator.language || "en").slice(0, 2).toLowerCase();
  return STRINGS[browser] ? browser : "en";
}

export function setLanguage(lang) {
  current = STRINGS[lang] ? lang : "en";
  localStorage.setItem("tandem.lang", current);
  document.documentElement.lang = current === "zh" ? "zh-CN" : current;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
    el.title = t(el.dataset.i18nLabel);
  }
}

export function language() {
  return current;
}

/** `t(prefix + id)` when there is such a string, else the id made readable ("payment_token" → "payment token"). */
export function label(prefix, id) {
  const key = `${prefix}.${id}`;
  return STRINGS[current][key] ?? STRINGS.en[key] ?? String(id).replaceAll("_", " ");
}

/** Capability names from the partners' manifests (`titles`, served by the app): `{intent: {lang: title}}`. They
 * are what a task's card is titled by, ahead of the strings above, so a partner Tandem does not ship is named in the
 * user's language too. */
export function addTitles(titles) {
  for (const [intent, names] of Object.entries(titles || {})) {
    for (const [lang, title] of Object.entries(names || {})) {
      if (STRINGS[lang] && typeof title === "string" && title) STRINGS[lang][`intent.${intent}`] = title;
    }
  }
}

/** The string for `key` in the current language (English, then the key itself, when missing). */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}
