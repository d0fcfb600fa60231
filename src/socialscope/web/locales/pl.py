"""Polski: konsultant (agent), rozmowa (conversation), tura (round), centrum wiadomości."""

from __future__ import annotations

from socialscope.web.locales import LocaleData

UI: dict[str, str] = {
    "app_title": "socialscope",
    # navigation
    "nav_overview": "Przegląd",
    "nav_customer_service": "Obsługa klienta",
    "nav_explore": "Eksploracja",
    "nav_conversations": "Rozmowy",
    "nav_orders": "Zamówienia",
    "logout": "Wyloguj",
    "login": "Zaloguj",
    "language": "Język",
    # filters
    "shop": "Sklep",
    "channels": "Kanały",
    "all_channels": "Wszystkie kanały",
    "date_range": "Zakres dat",
    "preset_today": "Dzisiaj",
    "preset_last_7_days": "Ostatnie 7 dni",
    "preset_last_30_days": "Ostatnie 30 dni",
    "preset_last_90_days": "Ostatnie 90 dni",
    "preset_this_month": "Bieżący miesiąc",
    "preset_last_month": "Poprzedni miesiąc",
    "preset_custom": "Niestandardowy",
    "from": "Od",
    "to": "Do",
    "compare": "Porównaj z",
    "compare_previous": "Poprzedni okres",
    "compare_yoy": "Ten sam okres rok wcześniej",
    "compare_none": "Bez porównania",
    "apply": "Zastosuj",
    "reset": "Resetuj",
    "amounts_in": "Kwoty w {currency}",
    # states
    "loading": "Wczytywanie…",
    "no_data": "Brak danych w tym okresie",
    "error": "Coś poszło nie tak",
    "forbidden": "Nie masz dostępu do tej strony",
    "not_found": "Nie znaleziono strony",
    # tables and export
    "digest": "Raport",
    "export_csv": "Eksportuj CSV",
    "export_xlsx": "Eksportuj do Excela",
    "sort_by": "Sortuj według",
    "rows_count": "Wiersze: {n}",
    "drill_down": "Pokaż rozmowy stojące za tą liczbą",
    "show_orders": "Pokaż zamówienia stojące za tą liczbą",
    "previous_value": "Poprzednio: {value}",
    "previous_period": "poprzedni okres",
    "change_vs_previous": "Zmiana względem poprzedniego okresu",
    "total": "Razem",
    "label_previous": "{label} (poprzednio)",
    "label_change": "{label} (zmiana)",
    "label_change_pct": "{label} (zmiana %)",
    # overview
    "tab_interaction": "Interakcje użytkowników",
    "tab_sales": "Wyniki sprzedaży",
    "tab_staff": "Wyniki pracowników",
    # today vs yesterday (web/today.py)
    "tab_today": "Dziś a wczoraj",
    "today_metric": "Wskaźnik",
    "today_chart": "{metric}: dziś a wczoraj, narastająco według godzin",
    "today_table": "Według godzin (narastająco)",
    "today_line": "Dziś ({date})",
    "yesterday_line": "Wczoraj ({date})",
    "today_so_far": "Dziś do {hour}: {value} wobec {previous} wczoraj o tej samej porze ({change})",
    "today_not_begun": "W strefie czasowej sklepu dzień jeszcze się nie zaczął",
    "today_refresh": "odświeżane co {seconds} s",
    "staff_split": "{name}: centrum wiadomości / transmisje na żywo / posty",
    "social_total": "Centrum wiadomości + transmisje na żywo + posty",
    # customer service
    "reception": "Obsługa zapytań",
    "speed": "Szybkość odpowiedzi",
    "conversion_loss": "Konwersja i utrata klientów",
    "satisfaction": "Zadowolenie klientów",
    "by_channel": "Według kanału",
    "by_staff": "Według konsultanta",
    "failed_3min_title": "Rozmowy, które nie spełniły reguły 3 minut",
    # explorer
    "metric": "Wskaźnik",
    "dimensions": "Podział według",
    "grain": "Przedział czasu",
    "grain_day": "Dzień",
    "grain_date": "Dzień",
    "grain_week": "Tydzień",
    "grain_month": "Miesiąc",
    "grain_hour": "Godzina",
    "filters": "Filtry",
    "parameters": "Parametry",
    "definition": "Definicja",
    "chart": "Wykres",
    "table": "Tabela",
    "add_filter": "Dodaj filtr",
    "where_help": (
        "Filtry: WYMIAR=WARTOŚĆ1,WARTOŚĆ2, kilka rozdzielonych „;”, np. "
        "channel=line,facebook;source=live. Parametry: NAZWA=WARTOŚĆ, rozdzielone „;”."
    ),
    "top_n": "{n} największych",
    "see_all": "Zobacz wszystkie",
    "first_n_shown": "Pokazano pierwsze {n}",
    "queue_at_end": "Kolejka na koniec okresu",
    "label_all_channels": "{label} (wszystkie kanały)",
    "list_truncated": "Pokazano {shown} z {total} wierszy",
    # login
    "login_title": "Zaloguj się do socialscope",
    "api_key": "Klucz API",
    "api_key_help": "Klucz API Twojego sklepu lub klucz administratora",
    "sign_in": "Zaloguj się",
    "login_failed": "Ten klucz nie został przyjęty",
    "logged_out": "Wylogowano",
    # values and units
    "value_none": "(brak)",
    "value_yes": "Tak",
    "value_no": "Nie",
    "week_of": "Tydzień od {date}",
    "unit_s": "{n} s",
    "unit_min": "{n} min",
    "unit_h": "{n} godz.",
    "unit_d": "{n} d.",
    "unit_sep": " ",
    # drill-down columns: conversations
    "col_shop_id": "Sklep",
    "col_conversation_id": "ID rozmowy",
    "col_channel": "Kanał",
    "col_customer_id": "ID klienta",
    "col_person_id": "ID osoby",
    "col_staff_id": "Pracownik",
    "col_first_ts": "Początek",
    "col_last_ts": "Ostatnia aktywność",
    "col_is_human": "Z konsultantem",
    "col_rounds": "Tury",
    "col_first_response_s": "Czas pierwszej odpowiedzi",
    "col_longest_response_s": "Najdłuższy czas odpowiedzi",
    "col_unanswered_rounds": "Tury bez odpowiedzi",
    "col_unreplied": "Bez odpowiedzi",
    "col_three_minute": "Reguła 3 minut",
    "col_three_minute_failed_round": "Niespełniona tura",
    "col_three_minute_date": "Data reguły 3 minut",
    "col_csat": "Ocena CSAT",
    "col_order_ids": "Zamówienia",
    "col_inquiry_outcome": "Wynik zapytania",
    # drill-down columns: orders
    "col_order_id": "Nr zamówienia",
    "col_created_at": "Utworzono",
    "col_source": "Źródło",
    "col_currency": "Waluta",
    "col_amount": "Kwota",
    "col_paid": "Opłacone",
    "col_paid_at": "Data płatności",
    "col_refunded_amount": "Zwrócono",
    "col_cancelled": "Anulowane",
    "col_order_type": "Typ zamówienia",
    # social
    "nav_social": "Social media",
    "top_posts_title": "Najlepsze posty (wg wskaźnika zaangażowania do zasięgu)",
    "lives_title": "Transmisje na żywo i ich lejek sprzedaży",
    "live_funnel_title": "Lejek transmisji",
    "live_choose": "Transmisja",
    "live_unknown": "live: brak transmisji {live!r} rozpoczętej w tym okresie",
    "post_funnel_title": "Lejek sprzedaży postów",
    "benchmarks": "Wartości referencyjne platform",
    "benchmark_as_cited": "data wg METRICS.md",
    "benchmark_source_unnamed": "źródło niepodane w METRICS.md",
    "benchmark_variant_per_post": "na post, wg obserwujących",
    "benchmark_variant_organic": "organiczne",
    "benchmark_variant_ads": "reklamy",
    "benchmark_variant_ecommerce": "e-commerce",
    "benchmark_variant_email_popup": "wyskakujące okno e-mail",
    "benchmark_variant_average_response": "średnia odpowiedź",
    "benchmark_variant_first_response": "pierwsza odpowiedź",
    "col_rank": "Miejsce",
    "col_published_at": "Opublikowano",
    "col_caption": "Opis",
    "col_title": "Tytuł",
    "col_started_at": "Rozpoczęto",
    "col_step": "Krok",
    "col_count": "Liczba",
    "col_rate_from_previous": "Od poprzedniego kroku",
    "col_rate_from_first": "Od kroku 1",
    # traffic and funnels
    "nav_funnels": "Ruch i lejki",
    "conversion_rate_window": "{label} (okno {days} dni)",
    "funnel_title": "Lejek",
    "funnel_choose": "Lejek",
    "funnel_steps": "Kroki (własne)",
    "funnel_steps_help": (
        "Zdarzenia rozdzielone przecinkami, z opcjonalnymi filtrami: "
        "event[dim=value]. Zdarzenia: {events}"
    ),
    "funnel_unit": "Liczone na",
    "funnel_mode": "Kolejność",
    "funnel_window_d": "Okno (dni)",
    "funnel_counting": "Liczenie",
    "funnel_by": "Podział według",
    "funnel_breakdown_at": "Wartość podziału brana z",
    "funnel_no_breakdown": "(bez podziału)",
    "funnel_builtin_social": "Social: wyświetlenie → zakup",
    "funnel_builtin_service": "Obsługa: zapytanie → zamówienie → płatność",
    "funnel_builtin_live": "Transmisja: komentarz → +1 → zamówienie → płatność",
    "funnel_builtin_post": "Post: komentarz → +1 → zamówienie → płatność",
    "funnel_builtin_custom": "Własne kroki",
    "unit_visitor": "odwiedzający",
    "unit_customer": "klient",
    "mode_ordered": "po kolei (inne zdarzenia mogą być pomiędzy)",
    "mode_strict": "ściśle po kolei (nic pomiędzy)",
    "mode_any": "dowolna kolejność",
    "counting_unique": "unikalne (każda jednostka raz)",
    "counting_totals": "sumy (każda próba)",
    "breakdown_at_first": "krok 1",
    "breakdown_at_last": "ostatni osiągnięty krok",
    "funnel_breakdown_first": "Według: {dim} (wartość z kroku 1)",
    "funnel_breakdown_last": "Według: {dim} (wartość z ostatniego osiągniętego kroku)",
    "funnel_statement": (
        "Liczone na: {unit}, {mode}, w ciągu {days} dni od wejścia w "
        "krok 1, {counting}; kohorta weszła w krok 1 w okresie."
    ),
    "funnel_same": "Każdy krok ma to samo: {dims}.",
    "funnel_channel_entry": "Filtr kanałów: krok 1 musi być w {channels}.",
    "funnel_channel_ignored": "Filtr kanałów nie ma zastosowania: krok 1 tego lejka nie ma kanału.",
    "funnel_chart_title": "Lejek (udział kroku 1)",
    "funnel_steps_title": "Kroki",
    "funnel_value_title": "Wartość w ostatnim kroku",
    "funnel_event_impression": "Wyświetlenie",
    "funnel_event_click": "Kliknięcie",
    "funnel_event_product_view": "Wyświetlenie produktu",
    "funnel_event_add_to_cart": "Dodanie do koszyka",
    "funnel_event_checkout": "Kasa",
    "funnel_event_purchase": "Zakup",
    "funnel_event_lead": "Lead",
    "funnel_event_signup": "Rejestracja",
    "funnel_event_inquiry": "Zapytanie",
    "funnel_event_comment": "Komentarz",
    "funnel_event_keyword_comment": "Komentarz +1",
    "funnel_event_order": "Zamówienie",
    "funnel_event_paid": "Płatność",
    "col_label": "Definicja kroku",
    "col_conversion_from_first": "Konwersja od kroku 1",
    "col_conversion_from_previous": "Konwersja od poprzedniego kroku",
    "col_drop_off": "Odpływ",
    "col_drop_off_rate": "Wskaźnik odpływu",
    "col_median_s_from_previous": "Mediana czasu od poprzedniego kroku",
    "col_median_s_from_first": "Mediana czasu od kroku 1",
    "col_conversions": "Konwersje",
    "col_total": "Suma",
    "col_mean": "Średnia",
    "col_entries": "Weszło w krok 1",
    "col_completed": "Osiągnęło ostatni krok",
    "col_value": "Wartość",
    # attribution
    "nav_attribution": "Atrybucja",
    "attribution_options_title": "Modele i opcje",
    "attribution_models": "Modele",
    "attribution_orders": "Rzędy Markowa",
    "attribution_include": "Licz też jako styczności",
    "attribution_lookback_d": "Okno wsteczne (dni)",
    "attribution_conversion": "Konwersja",
    "attribution_half_life_h": "Okres półtrwania (godziny)",
    "attribution_measure": "Wykres pokazuje",
    "measure_conversions": "Przypisane konwersje",
    "measure_value": "Przypisana wartość",
    "measure_share": "Udział",
    "model_first_touch": "Pierwszy kontakt",
    "model_last_touch": "Ostatni kontakt",
    "model_linear": "Liniowy",
    "model_position_based": "Według pozycji (40/20/40)",
    "model_time_decay": "Zanik w czasie",
    "model_markov": "Łańcuch Markowa",
    "model_shapley": "Shapley (oparty na danych)",
    "markov_order": "rząd {k}",
    "touch_chat": "Czat",
    "touch_comment": "Komentarz",
    "touch_live": "Transmisja",
    "touch_direct": "Bezpośrednio (bez styczności)",
    "conversion_paid_order": "Opłacone zamówienia",
    "conversion_purchase": "Zdarzenia zakupu",
    "attribution_paths": "Ścieżki",
    "attribution_conversions": "Konwersje",
    "attribution_nulls": "Ścieżki bez konwersji",
    "attribution_value": "Wartość konwersji",
    "attribution_chart_conversions": "Przypisane konwersje wg kanału i modelu",
    "attribution_chart_value": "Przypisana wartość wg kanału i modelu",
    "attribution_table_title": "Modele obok siebie",
    "attribution_notes_title": "Co policzono",
    "attribution_counts": (
        "Użyto {paths} ścieżek: {conversions} konwersji i {nulls} ścieżek bez konwersji."
    ),
    "attribution_skipped": "Pominięto {model}: {why}",
    "attribution_channel_filter": "Filtr kanałów nie zawęża atrybucji: to kanały są porównywane.",
    # campaign review
    "nav_campaigns": "Przegląd kampanii",
    "kind_campaign": "Kampania",
    "kind_post": "Post",
    "kind_live": "Transmisja",
    "review_title": "Co przeglądamy",
    "review_subject": "Kampania, post lub transmisja",
    "review_target": "Cel sprzedaży (opcjonalnie)",
    "review_days_after": "Dni po starcie",
    "review_none": "Brak kampanii, postów lub transmisji do przeglądu w tym sklepie i okresie.",
    "review_targets_title": "Cele dla etapów lejka (z wcześniejszych wskaźników)",
    "review_lift_title": "Wzrost po starcie",
    "review_chart_title": "Wartość rzeczywista wobec prognozy (prognoza = 100%)",
    "review_band": "Oczekiwany przedział",
    "review_actual": "Rzeczywista",
    "review_predicted": "Prognoza",
    "review_notes_title": "Jak to odczytano",
    "review_launch": "Start {launch} ({source}); porównano {days} dni po nim.",
    "review_trailing": "Wcześniejsze wskaźniki z okresu {period}.",
    "review_interval": "Przedział prognozy: {level}%.",
    "verdict_lift": "Wzrost",
    "verdict_drop": "Spadek",
    "verdict_within_noise": "W granicach szumu",
    "percentage_points": "{n} p.p.",
    "col_stage": "Etap",
    "col_needed": "Potrzeba",
    "col_rate": "Wcześniejszy wskaźnik",
    "col_rate_value": "Wartość wskaźnika",
    "col_rate_numerator": "Licznik",
    "col_rate_denominator": "Mianownik",
    "col_metric": "Wskaźnik",
    "col_actual": "Rzeczywista",
    "col_predicted": "Prognoza",
    "col_low": "Dolna granica",
    "col_high": "Górna granica",
    "col_difference": "Różnica",
    "col_change_pct": "Zmiana",
    "col_verdict": "Ocena",
    "col_note": "Uwaga",
    "attribution_currency": (
        "Wartości w {currency}; konwersje w innych walutach pominięto (nigdy nie są sumowane)."
    ),
    # attribution touch channels
    "touch_organic_search": "Wyszukiwanie organiczne",
    "touch_paid_search": "Wyszukiwanie płatne",
    "touch_referral": "Odesłania",
    "nav_products": "Produkty",
    "products_options_title": "Ruch produktów",
    "products_by": "Wiersze",
    "products_by_product": "Według produktu",
    "products_by_category": "Według kategorii",
    "products_source": "Źródło ruchu",
    "products_all_sources": "Wszystkie źródła",
    "products_category": "Kategoria",
    "products_all_categories": "Wszystkie kategorie",
    "products_min_click_users": "Minimalna liczba klikających",
    "products_min_click_users_help": (
        "Źródło musi mieć co najmniej tylu klikających, aby jego konwersja z "
        "kliknięcia na zakup mogła uczynić je najlepiej konwertującym kanałem."
    ),
    "products_funnel_title": (
        "Lejek sklepu: ekspozycja → kliknięcie → koszyk → zamówienie → płatność"
    ),
    "products_table_title": "Produkty: lejek i główny kanał",
    "products_sources_title": "Lejek według źródła ruchu",
    "products_notes_title": "Jak czytać tę stronę",
    "products_note_rates": (
        "Każdy krok liczy osoby w okresie (odwiedzających do koszyka, klientów "
        "dla zamówienia i płatności); kliknięcie bez zarejestrowanej ekspozycji "
        "lub zamówienie bez koszyka też się liczy, więc wskaźnik kroku może "
        "przekroczyć 100 %."
    ),
    "products_note_verdict": (
        "Kanał GMV: źródło o najwyższym GMV. Kanał konwersji: najlepsza "
        "konwersja z kliknięcia na zakup wśród źródeł z co najmniej {n} "
        "klikającymi. Remisy są wymienione."
    ),
    "col_click_rate": "Ekspozycja → kliknięcie",
    "col_add_to_cart_rate": "Kliknięcie → koszyk",
    "col_order_rate": "Koszyk → zamówienie",
    "col_paid_rate": "Zamówienie → płatność",
    "col_gmv_channel": "Kanał GMV",
    "col_conversion_channel": "Kanał konwersji",
    "verdict_small_sample": "Za mało klikających",
    "verdict_tied": "{source} (ex aequo z: {others})",
    # audience page (docs/audience.md)
    "nav_audience": "Odbiorcy",
    "audience_options_title": "Opcje odbiorców",
    "audience_set": "Grupa użytkowników",
    "set_click_users": "Klikający",
    "set_exposure_users": "Użytkownicy z wyświetleniem",
    "set_buyers": "Kupujący",
    "set_non_buyers": "Niekupujący",
    "set_lost_users": "Utraceni użytkownicy",
    "set_inquiring_customers": "Pytający klienci",
    "set_live_commenters": "Komentujący na transmisji",
    "set_post_commenters": "Komentujący post",
    "audience_traffic_source": "Źródło ruchu",
    "audience_any_source": "Dowolne źródło",
    "audience_product": "Id produktu",
    "audience_month": "Miesiąc (dokąd odeszli)",
    "audience_month_help": "Pełny, zakończony miesiąc, RRRR-MM",
    "audience_profile_title": "Profil odbiorców",
    "audience_k_note": "Grupy mniejsze niż {k} użytkowników są łączone w „inne” lub ukrywane.",
    "audience_suppressed": "{name}: za mało użytkowników, nie pokazano.",
    "audience_by": "Według: {attribute}",
    "attr_gender": "płeć",
    "attr_age_band": "przedział wieku",
    "attr_region": "region",
    "attr_segment": "segment",
    "audience_sources_title": "Użytkownicy według źródła ruchu",
    "audience_export_title": "Eksport jako grupa do retargetingu",
    "audience_export_refused": "Mniej niż {k} klientów sklepu w tej grupie: brak eksportu.",
    "audience_destinations_title": "Gdzie kupili utraceni użytkownicy — {month}",
    "audience_destinations_note": (
        "Utraceni użytkownicy: {lost}. Pokazano tylko grupy co najmniej "
        "{k} użytkowników; inne sklepy nigdy nie są nazywane."
    ),
    "audience_peers_title": "Porównanie z podobnymi sklepami",
    "peer_source": "podobne: poziom {tier}, {category}",
    "peer_count": "sklepów: {band}",
    "peer_rank_label": "ranga percentylowa",
    "peer_not_enough": "za mało podobnych sklepów",
    "peer_excellent": "wynik wzorcowy sklepów tego poziomu (p90)",
    "peer_card_help": "Twoja wartość na tle sklepów o tym samym poziomie i kategorii.",
    "col_set_share": "Wybrana grupa",
    "col_buyers_share": "Kupujący",
    "col_non_buyers_share": "Niekupujący",
    "col_population": "Grupa",
    "col_users": "Osoby",
    "col_category": "Kategoria",
    "col_price_band": "Przedział cen",
    "col_orders": "Zamówienia",
    "col_share": "Udział w utraconych",
    "col_set": "Grupa",
    "col_customers": "Klienci",
    "col_download": "Pobierz",
    "col_traffic_source": "Źródło ruchu",
    # alerts
    "nav_alerts": "Alerty",
    "alerts_incidents_title": "Incydenty (aktywne: {firing})",
    "alerts_history_title": "Powiadomienia w okresie",
    "alerts_notes_title": "Jak to czytać",
    "alerts_note_order": (
        "Aktywne incydenty są zawsze na początku, niezależnie od okresu; potem incydenty "
        "z powiadomieniem w okresie, od najnowszych. Każdy incydent wysyła jedno "
        "powiadomienie o alarmie i jedno o jego ustąpieniu."
    ),
    "alerts_note_times": (
        "Czas lokalny sklepu ({zone}). Reguły ustawia się w konfiguracji serwera ([[alerts]])."
    ),
    "alert_state_firing": "Aktywny",
    "alert_state_resolved": "Ustąpił",
    "alert_severity_info": "Informacja",
    "alert_severity_warning": "Ostrzeżenie",
    "alert_severity_critical": "Krytyczny",
    "alert_delivery_sent": "{target}: dostarczono",
    "alert_delivery_pending": "{target}: oczekuje (prób: {attempts})",
    "alert_delivery_failed": "{target}: błąd po {attempts} próbach",
    "col_state": "Stan",
    "col_severity": "Waga",
    "col_rule_id": "Reguła",
    "col_dims": "Wycinek",
    "col_fired_at": "Wystąpił",
    "col_resolved_at": "Ustąpił",
    "col_message": "Komunikat",
    "col_threshold": "Próg",
    "col_at": "Czas",
    "col_deliveries": "Dostarczenie",
    # anomalies
    "anomalies_title": "Anomalie",
    "anomalies_of": "Anomalie: {metric}",
    "anomaly_tooltip": "{metric}: {value} (oczekiwano {expected}, {change})",
    "anomaly_unexplained": "Wokół tego punktu nie odnotowano żadnych zdarzeń",
    "anomaly_expected": "oczekiwano {expected}",
    "anomalies_none": "Brak anomalii w tym okresie",
    "anomalies_flagged": "Oznaczone punkty: {n}",
    "explain_post": "{kind} na kanale {channel}: „{caption}”",
    "explain_post_paid": "{kind} na kanale {channel}: „{caption}” (płatny)",
    "explain_live": "Transmisja na żywo „{title}” ({hours} h {minutes} min, widzowie: {viewers})",
    "explain_live_viewers": "Transmisja na żywo „{title}” (widzowie: {viewers})",
    "explain_live_plain": "Transmisja na żywo „{title}”",
    "explain_campaign": "Start kampanii „{campaign}”",
    "explain_product": "Nowy produkt „{title}” (pierwsza sprzedaż lub odsłona)",
    "explain_big_order": "Zamówienie {order_id}: {amount} {currency} (zwykle {usual})",
    "explain_refund": "Zwrot {refund_id} do zamówienia {order_id}: {amount} {currency} "
    "(zwykle {usual})",
    "explain_refunds_many": "Zwroty: {n} (zwykle ok. {usual})",
    "explain_absent": "{name} offline (zwykle online {usual} h, tym razem {now} h)",
    "explain_fewer_agents": "Konsultanci online: {n} (zwykle {usual})",
}

METRICS: dict[str, str] = {
    "conversations": "Rozmowy",
    "human_conversations": "Rozmowy z konsultantem",
    "inbound_messages": "Wiadomości przychodzące",
    "outbound_messages": "Wiadomości wychodzące",
    "inquiring_customers": "Klienci z zapytaniem",
    "served_customers": "Obsłużeni klienci",
    "interacting_users": "Użytkownicy w interakcji",
    "comments_received": "Otrzymane komentarze",
    "product_inquiries": "Zapytania o produkty",
    "order_count": "Zamówienia",
    "sales_amount": "Wartość sprzedaży",
    "paid_order_count": "Opłacone zamówienia",
    "net_paid_amount": "Wpłaty netto",
    "refund_amount": "Kwota zwrotów",
    "aov": "Średnia wartość zamówienia",
    "conversations_handled": "Obsłużone rozmowy",
    "three_minute_good_conversations": "Rozmowy z odpowiedzią w 3 min",
    "three_minute_eligible_conversations": "Rozmowy objęte regułą 3 min",
    "three_minute_reply_rate": "Wskaźnik odpowiedzi w 3 min",
    "first_response_time_avg": "Czas pierwszej odpowiedzi (średnia)",
    "first_response_time_median": "Czas pierwszej odpowiedzi (mediana)",
    "first_response_time_p90": "Czas pierwszej odpowiedzi (p90)",
    "avg_response_time": "Średni czas odpowiedzi",
    "slow_rounds": "Tury z wolną odpowiedzią",
    "unanswered_rounds": "Tury bez odpowiedzi",
    "unreplied_conversations": "Rozmowy bez odpowiedzi",
    "sla_conversations": "Rozmowy objęte SLA",
    "sla_met_conversations": "Rozmowy zgodne z SLA",
    "sla_attainment": "Realizacja SLA pierwszej odpowiedzi",
    "csat_ratings": "Oceny CSAT",
    "csat_positive_ratings": "Pozytywne oceny CSAT",
    "csat_rate": "Wskaźnik CSAT",
    "negative_reviews": "Negatywne opinie",
    "inquiry_orders": "Zamówienia po zapytaniu",
    "inquiry_order_amount": "Wartość zamówień po zapytaniu",
    "silent_orders": "Zamówienia bez kontaktu",
    "silent_order_amount": "Wartość zamówień bez kontaktu",
    "silent_order_share": "Udział zamówień bez kontaktu",
    "silent_unpaid_orders": "Nieopłacone zamówienia bez kontaktu",
    "inquiry_cohort_customers": "Klienci z zapytaniem (kohorta konwersji)",
    "inquiry_converted_customers": "Klienci z zapytaniem, którzy kupili",
    "inquiry_conversion_rate": "Konwersja zapytań",
    "inquiry_lost_customers": "Utraceni klienci z zapytaniem",
    "inquiry_unpaid_customers": "Klienci z zapytaniem: zamówienie bez płatności",
    "queue_waiting": "Rozmowy w kolejce",
    "queue_wait_max_s": "Najdłuższe oczekiwanie w kolejce",
    "queue_wait_avg_s": "Średnie oczekiwanie w kolejce",
    "online_agents": "Konsultanci online",
    "agent_capacity": "Pojemność konsultantów",
    "agent_open_conversations": "Otwarte rozmowy obecnych konsultantów",
    "agent_saturation": "Obciążenie konsultantów",
    # sections 5-7
    "impressions": "Wyświetlenia",
    "video_views": "Wyświetlenia wideo",
    "link_clicks": "Kliknięcia linków",
    "reach": "Zasięg brutto",
    "engagements": "Interakcje",
    "engagement_rate_by_reach": "Wskaźnik zaangażowania (zasięg)",
    "engagement_rate_by_impressions": "Wskaźnik zaangażowania (wyświetlenia)",
    "engagement_rate_by_followers": "Wskaźnik zaangażowania (obserwujący, na post)",
    "followers": "Obserwujący",
    "followers_start": "Obserwujący na początku",
    "net_follower_growth": "Przyrost netto obserwujących",
    "follower_growth_rate": "Tempo wzrostu obserwujących",
    "posts_published": "Opublikowane posty",
    "live_viewers": "Widzowie transmisji",
    "live_peak_viewers": "Szczytowa liczba widzów transmisji",
    "live_watch_seconds": "Czas oglądania transmisji",
    "live_commenting_customers": "Komentujący klienci (transmisja)",
    "live_keyword_customers": "Klienci ze słowem kluczowym (+1) (transmisja)",
    "live_ordering_customers": "Zamawiający klienci (transmisja)",
    "live_paying_customers": "Płacący klienci (transmisja)",
    "live_commenting_rate": "Odsetek komentujących (transmisja)",
    "live_keyword_rate": "Odsetek słów kluczowych (transmisja)",
    "live_ordering_rate": "Odsetek zamawiających (transmisja)",
    "live_paying_rate": "Odsetek płacących (transmisja)",
    "post_commenting_customers": "Komentujący klienci (post)",
    "post_keyword_customers": "Klienci ze słowem kluczowym (+1) (post)",
    "post_ordering_customers": "Zamawiający klienci (post)",
    "post_paying_customers": "Płacący klienci (post)",
    "post_keyword_rate": "Odsetek słów kluczowych (post)",
    "post_ordering_rate": "Odsetek zamawiających (post)",
    "post_paying_rate": "Odsetek płacących (post)",
    "click_through_rate": "Współczynnik klikalności (treści)",
    "sessions": "Sesje",
    "social_sessions": "Sesje z mediów społecznościowych",
    "social_session_share": "Udział sesji z mediów społecznościowych",
    "visitors": "Odwiedzający",
    "session_duration_total": "Łączny czas sesji",
    "sessions_with_duration": "Sesje ze znanym czasem trwania",
    "avg_session_duration": "Średni czas sesji",
    "engaged_time_total": "Łączny czas zaangażowania",
    "sessions_with_engaged_time": "Sesje ze znanym czasem zaangażowania",
    "avg_engaged_time": "Średni czas zaangażowania",
    "leads": "Leady",
    "lead_rate": "Współczynnik leadów",
    "first_purchase_customers": "Klienci kupujący po raz pierwszy",
    "first_purchase_sessions": "Sesje przed pierwszymi zakupami",
    "sessions_before_purchase": "Sesje przed zakupem (średnia)",
    "sessions_before_purchase_median": "Sesje przed zakupem (mediana)",
    "click_users": "Klikający użytkownicy",
    "converted_click_users": "Klikający z konwersją",
    "conversion_rate": "Współczynnik konwersji",
    "cart_visitors": "Odwiedzający z koszykiem",
    "abandoned_cart_visitors": "Odwiedzający z porzuconym koszykiem",
    "cart_abandonment_rate": "Wskaźnik porzuceń koszyka",
    "revenue_gross": "Przychód brutto (kasowo)",
    "refunds_by_date": "Zwroty według daty (kasowo)",
    "revenue_net": "Przychód netto (kasowo)",
    "exposure_users": "Użytkownicy z ekspozycją produktu",
    "product_click_users": "Użytkownicy klikający produkt",
    "product_clicks": "Kliknięcia produktu",
    "product_clicks_per_user": "Kliknięcia produktu na użytkownika",
    "product_ctr": "CTR produktu (użytkownicy)",
    "product_cart_users": "Użytkownicy dodający produkt do koszyka",
    "new_click_users": "Nowi klikający",
    "returning_click_users": "Powracający klikający",
    "new_click_user_share": "Udział nowych klikających",
    "returning_click_user_share": "Udział powracających klikających",
    "product_gmv": "GMV produktu",
    "product_order_users": "Klienci zamawiający produkt",
    "product_buyers": "Kupujący produkt",
    "product_aov": "Średnia wartość zakupu produktu na kupującego",
    "click_to_purchase_rate": "Konwersja z kliknięcia na zakup",
    "uv_value": "Wartość UV",
    "first_purchase_buyers": "Kupujący po raz pierwszy",
    "repeat_buyers": "Kupujący ponownie",
    "first_purchase_buyer_share": "Udział kupujących po raz pierwszy",
    "repeat_buyer_share": "Udział kupujących ponownie",
    "lost_users": "Utraceni użytkownicy",
}

_FRT = (
    "Dla każdej rozmowy z konsultantem, w której pierwsza tura z konsultantem otrzymała "
    "odpowiedź: czas odpowiedzi w tej turze (chwila odpowiedzi − efektywny początek, "
    "w sekundach), datowany pierwszym zdarzeniem rozmowy; według staff_id konsultant rozmowy. "
)

DESCRIPTIONS: dict[str, str] = {
    "conversations": "Rozmowy, których pierwsze zdarzenie przypada w okresie.",
    "human_conversations": (
        "Rozmowy z konsultantem (nie tylko z botem), których pierwsze zdarzenie przypada "
        "w okresie; według staff_id liczą się dla konsultanta rozmowy (autora pierwszej "
        "wiadomości konsultanta w chwili przekazania lub później)."
    ),
    "inbound_messages": "Wiersze klienta rodzaju message w okresie.",
    "outbound_messages": "Wiersze konsultantów i botów rodzaju message w okresie.",
    "inquiring_customers": "Unikalni klienci z co najmniej jedną wiadomością klienta w okresie.",
    "served_customers": "Unikalni klienci z co najmniej jedną wiadomością konsultanta w okresie.",
    "interacting_users": (
        "Unikalni klienci, którzy w okresie wysłali wiadomość lub napisali komentarz (autor: "
        "klient, nieusunięty); we wszystkich kanałach klient liczy się raz (tożsamości)."
    ),
    "comments_received": (
        "Komentarze klientów w okresie (łącznie z usuniętymi: zostały otrzymane)."
    ),
    "product_inquiries": "Wiadomości klientów z product_id w okresie.",
    "order_count": (
        "Zamówienia utworzone w okresie i nieanulowane. Według staff_id: staff_id zamówienia, "
        "a gdy go brak — konsultant ostatniej wiadomości konsultanta w jego rozmowie przed "
        "created_at."
    ),
    "sales_amount": "Σ kwot zamówień z okresu, w ich walucie.",
    "paid_order_count": "Zamówienia z okresu z paid_at.",
    "net_paid_amount": (
        "Σ po opłaconych zamówieniach z okresu (kwota − ich zwroty); zwroty liczone do chwili "
        "zapytania (według kohorty)."
    ),
    "refund_amount": "Σ zwrotów zamówień z okresu, do chwili zapytania (według kohorty).",
    "aov": "sales_amount / order_count.",
    "conversations_handled": (
        "Rozmowy z konsultantem, w których pracownik wysłał w okresie co najmniej jedną "
        "wiadomość konsultanta; rozmowa przekazana między dwoma pracownikami liczy się dla obu "
        "(unikalne rozmowy w przekroju)."
    ),
    "three_minute_good_conversations": (
        "Rozmowy objęte regułą 3 minut, w których każda tura objęta regułą otrzymała odpowiedź "
        "w ciągu threshold_s, datowane pierwszą turą objętą regułą."
    ),
    "three_minute_eligible_conversations": (
        "Rozmowy z co najmniej jedną turą objętą regułą — turą z konsultantem, której efektywny "
        "początek przypada w godzinach obsługi sklepu (shops.service_hours, domyślnie "
        "[08:00, 23:00) czasu lokalnego) — datowane pierwszą turą objętą regułą."
    ),
    "three_minute_reply_rate": (
        "Reguła Douyin 飞鸽: rozmowy spełniające regułę / rozmowy objęte regułą. Turami objętymi "
        "regułą są tury z konsultantem, których efektywny początek przypada w godzinach obsługi "
        "sklepu; rozmowa jest objęta regułą, gdy ma ≥1 taką turę, a spełnia ją, gdy każda taka "
        "tura otrzymała odpowiedź w ciągu threshold_s (włącznie; tura bez odpowiedzi oznacza "
        "niespełnienie). Datowane pierwszą turą objętą regułą; tury poza godzinami obsługi nie "
        "liczą się w żadną stronę. Według staff_id: konsultant rozmowy."
    ),
    "first_response_time_avg": _FRT + "Średnia.",
    "first_response_time_median": _FRT + "Mediana.",
    "first_response_time_p90": _FRT + "90. percentyl.",
    "avg_response_time": (
        "Średni czas odpowiedzi (chwila odpowiedzi − efektywny początek, w sekundach) "
        "wszystkich tur z konsultantem, które otrzymały odpowiedź, datowany efektywnym "
        "początkiem tury; według staff_id konsultant, który odpowiedział."
    ),
    "slow_rounds": (
        "Tury z konsultantem z odpowiedzią, których czas odpowiedzi > threshold_s, datowane "
        "efektywnym początkiem tury; według staff_id konsultant, który odpowiedział."
    ),
    "unanswered_rounds": (
        "Tury z konsultantem bez odpowiedzi, datowane efektywnym początkiem tury."
    ),
    "unreplied_conversations": (
        "Rozmowy z konsultantem bez żadnej wiadomości konsultanta, datowane pierwszym zdarzeniem."
    ),
    "sla_conversations": (
        "Rozmowy z konsultantem, których pierwsza tura z konsultantem rozpoczęła się "
        "(efektywny początek) w okresie."
    ),
    "sla_met_conversations": (
        "Rozmowy z konsultantem, których pierwsza tura z konsultantem rozpoczęła się w okresie "
        "i otrzymała odpowiedź w ciągu sla_s (włącznie)."
    ),
    "sla_attainment": (
        "Udział rozmów z konsultantem, w których pierwsza odpowiedź przyszła w ciągu sla_s: "
        "sla_met_conversations / sla_conversations, datowany efektywnym początkiem pierwszej "
        "tury z konsultantem; według staff_id konsultant rozmowy."
    ),
    "csat_ratings": "Oceny rodzaju csat w okresie.",
    "csat_positive_ratings": "Oceny rodzaju csat z wynikiem ≥ 4 w okresie.",
    "csat_rate": "Oceny csat z wynikiem ≥ 4 / wszystkie oceny csat w okresie.",
    "negative_reviews": "Oceny rodzaju review z wynikiem ≤ 2 w okresie.",
    "inquiry_orders": (
        "Zamówienia z okresu z conversation_id lub z wiadomością ich klienta w ciągu "
        "inquiry_window_h godzin przed created_at."
    ),
    "inquiry_order_amount": "Σ kwot zamówień po zapytaniu z okresu, w ich walucie.",
    "silent_orders": (
        "Zamówienia z okresu, które nie są zamówieniami po zapytaniu: bez conversation_id "
        "i bez wiadomości ich klienta w ciągu inquiry_window_h godzin wcześniej."
    ),
    "silent_order_amount": "Σ kwot zamówień bez kontaktu z okresu, w ich walucie.",
    "silent_order_share": "silent_orders / order_count.",
    "silent_unpaid_orders": "Zamówienia bez kontaktu z okresu bez paid_at.",
    "inquiry_cohort_customers": (
        "Unikalni klienci z ≥1 wiadomością klienta w okresie — mianownik "
        "inquiry_conversion_rate; ci sami klienci co w inquiring_customers, ale każdy z jednym "
        "kanałem i jednym konsultantem (tymi z ich ostatniej rozmowy w okresie)."
    ),
    "inquiry_converted_customers": (
        "Klienci z zapytaniem w okresie, którzy mają opłacone zamówienie utworzone między "
        "swoim pierwszym zapytaniem w okresie a upływem inquiry_window_h od ostatniego."
    ),
    "inquiry_conversion_rate": "inquiry_converted_customers / inquiry_cohort_customers.",
    "inquiry_lost_customers": (
        "Klienci z zapytaniem w okresie bez żadnego zamówienia (nieanulowanego) utworzonego "
        "między ich pierwszym zapytaniem w okresie a upływem inquiry_window_h od ostatniego."
    ),
    "inquiry_unpaid_customers": (
        "Klienci z zapytaniem w okresie, którzy mają w tym oknie zamówienia (nieanulowane), "
        "ale żadne z nich nie jest opłacone."
    ),
    "queue_waiting": (
        "Stan na as_of: otwarte rozmowy z konsultantem, których ostatnia tura klienta nie ma "
        "odpowiedzi — jej efektywny początek przypada najpóźniej w as_of, a odpowiedzi nie ma "
        "lub przyszła po as_of."
    ),
    "queue_wait_max_s": (
        "Stan na as_of: najdłuższy czas, jaki czeka oczekująca rozmowa (queue_waiting), "
        "as_of − efektywny początek oczekującej tury, w sekundach; pusty, gdy nikt nie czeka."
    ),
    "queue_wait_avg_s": (
        "Stan na as_of: średni czas, jaki czekają oczekujące rozmowy (queue_waiting), "
        "as_of − efektywny początek oczekującej tury, w sekundach; pusty, gdy nikt nie czeka."
    ),
    "online_agents": (
        "Stan na as_of: konsultanci, których najnowszy agent_status najpóźniej w as_of "
        "to online lub busy."
    ),
    "agent_capacity": (
        "Stan na as_of: Σ pojemności obecnych konsultantów (online lub busy) — pojemność "
        "każdego z nich z jego najnowszego wiersza agent_status najpóźniej w as_of "
        "(domyślnie 5)."
    ),
    "agent_open_conversations": (
        "Stan na as_of: otwarte rozmowy z konsultantem, których konsultant jest obecny "
        "(online lub busy) w as_of."
    ),
    "agent_saturation": (
        "Stan na as_of: agent_open_conversations / agent_capacity — otwarte rozmowy "
        "z konsultantem przypisane do obecnych konsultantów podzielone przez sumę pojemności "
        "tych konsultantów; pusty, gdy ta pojemność wynosi 0."
    ),
    # sections 5-7
    "impressions": (
        "Σ impressions po wierszach content_metrics na poziomie postów datowanych w okresie."
    ),
    "video_views": (
        "Σ video_views po wierszach content_metrics na poziomie postów datowanych w okresie."
    ),
    "link_clicks": (
        "Σ link_clicks po wierszach content_metrics na poziomie postów datowanych w okresie."
    ),
    "reach": (
        "Zasięg brutto: Σ dziennego zasięgu na poziomie postów w okresie — suma dziennych "
        "zasięgów, więc osoba osiągnięta w dwóch dniach lub przez dwa posty liczy się dwa razy "
        "(zasięgu unikalnego nie da się wyznaczyć z dziennych liczników)."
    ),
    "engagements": (
        "Σ engagements po wierszach content_metrics na poziomie postów datowanych w okresie; gdy "
        "platforma zostawiła tę wartość pustą: likes + comments + shares + saves."
    ),
    "engagement_rate_by_reach": (
        "engagements / reach (zasięg brutto), oba sumowane po wierszach na poziomie postów w "
        "przekroju."
    ),
    "engagement_rate_by_impressions": (
        "engagements / impressions, oba sumowane po wierszach na poziomie postów w przekroju."
    ),
    "engagement_rate_by_followers": (
        "Średnia po postach opublikowanych w okresie z (interakcje posta w pierwszych 7 dniach / "
        "obserwujący konta w dniu publikacji) — wskaźnik Rival IQ na post, pokazywany obok "
        "statycznych benchmarków platform (socialscope benchmarks)."
    ),
    "followers": (
        "Obserwujący konta na koniec okresu: dla kanału wartość z ostatniego dnia, w którym jest "
        "wartość; dla kilku kanałów suma ostatnich wartości każdego kanału."
    ),
    "followers_start": (
        "Obserwujący konta w dniu poprzedzającym okres (dla kanału ostatnia wartość w tym dniu "
        "lub wcześniej, zsumowana po kanałach) — podstawa follower_growth_rate."
    ),
    "net_follower_growth": (
        "Obserwujący na koniec okresu − obserwujący w dniu poprzedzającym okres, dla każdego "
        "kanału, potem zsumowane."
    ),
    "follower_growth_rate": (
        "net_follower_growth / followers_start (obserwujący w dniu poprzedzającym okres); pusty, "
        "gdy ta wartość początkowa wynosi 0 lub jej brak."
    ),
    "posts_published": "Posty z published_at w okresie.",
    "click_through_rate": (
        "Σ link_clicks / Σ impressions po wierszach content_metrics na poziomie postów "
        "datowanych w okresie."
    ),
    "live_viewers": (
        "Σ unique_viewers transmisji rozpoczętych w okresie (widz dwóch transmisji liczy się dwa "
        "razy)."
    ),
    "live_peak_viewers": (
        "Najwyższa wartość peak_concurrent_viewers spośród transmisji rozpoczętych w okresie."
    ),
    "live_watch_seconds": "Σ total_watch_seconds transmisji rozpoczętych w okresie.",
    "live_commenting_customers": (
        "Unikalni klienci z komentarzem klienta (nieusuniętym) pod transmisjami rozpoczętymi w "
        "okresie."
    ),
    "live_keyword_customers": (
        "Unikalni klienci z komentarzem zawierającym słowo kluczowe zakupu pod transmisjami "
        "rozpoczętymi w okresie."
    ),
    "live_ordering_customers": (
        "Unikalni klienci z zamówieniem (nieanulowanym) o źródle live i z live_id tej "
        "transmisji, dla transmisji rozpoczętych w okresie."
    ),
    "live_paying_customers": (
        "Unikalni klienci z opłaconym zamówieniem (nieanulowanym) o źródle live i z live_id tej "
        "transmisji, dla transmisji rozpoczętych w okresie."
    ),
    "live_commenting_rate": (
        "live_commenting_customers / live_viewers (pusty, gdy live_viewers wynosi 0)."
    ),
    "live_keyword_rate": (
        "live_keyword_customers / live_commenting_customers (pusty, gdy "
        "live_commenting_customers wynosi 0)."
    ),
    "live_ordering_rate": (
        "live_ordering_customers / live_keyword_customers (pusty, gdy live_keyword_customers "
        "wynosi 0)."
    ),
    "live_paying_rate": (
        "live_paying_customers / live_ordering_customers (pusty, gdy live_ordering_customers "
        "wynosi 0)."
    ),
    "post_commenting_customers": (
        "Unikalni klienci z komentarzem klienta (nieusuniętym) pod postami opublikowanymi w "
        "okresie."
    ),
    "post_keyword_customers": (
        "Unikalni klienci z komentarzem zawierającym słowo kluczowe zakupu pod postami "
        "opublikowanymi w okresie."
    ),
    "post_ordering_customers": (
        "Unikalni klienci z zamówieniem (nieanulowanym) o źródle post i z post_id tego posta, "
        "dla postów opublikowanych w okresie."
    ),
    "post_paying_customers": (
        "Unikalni klienci z opłaconym zamówieniem (nieanulowanym) o źródle post i z post_id tego "
        "posta, dla postów opublikowanych w okresie."
    ),
    "post_keyword_rate": (
        "post_keyword_customers / post_commenting_customers (pusty, gdy "
        "post_commenting_customers wynosi 0)."
    ),
    "post_ordering_rate": (
        "post_ordering_customers / post_keyword_customers (pusty, gdy post_keyword_customers "
        "wynosi 0)."
    ),
    "post_paying_rate": (
        "post_paying_customers / post_ordering_customers (pusty, gdy post_ordering_customers "
        "wynosi 0)."
    ),
    "sessions": "Sesje w witrynie rozpoczęte w okresie.",
    "social_sessions": (
        "Sesje rozpoczęte w okresie, których kanał jest kanałem społecznościowym (enum SCHEMA) "
        "lub których medium to social / paid_social."
    ),
    "social_session_share": "social_sessions / sessions.",
    "visitors": (
        "Unikalne visitor_id z sesją rozpoczętą w okresie — w całym przekroju, nigdy suma "
        "dziennych liczb unikalnych."
    ),
    "session_duration_total": (
        "Σ duration_s sesji rozpoczętych w okresie (składnik avg_session_duration)."
    ),
    "sessions_with_duration": "Sesje rozpoczęte w okresie, których duration_s jest znane.",
    "avg_session_duration": (
        "Średnie duration_s sesji rozpoczętych w okresie, które je mają (session_duration_total "
        "/ sessions_with_duration)."
    ),
    "engaged_time_total": "Σ engaged_s sesji rozpoczętych w okresie (składnik avg_engaged_time).",
    "sessions_with_engaged_time": "Sesje rozpoczęte w okresie, których engaged_s jest znane.",
    "avg_engaged_time": (
        "Średnie engaged_s sesji rozpoczętych w okresie, które je mają (engaged_time_total / "
        "sessions_with_engaged_time)."
    ),
    "leads": "Unikalni odwiedzający z punktem styku lead lub signup w okresie.",
    "lead_rate": "leads / visitors tego samego przekroju.",
    "first_purchase_customers": (
        "Klienci, których pierwsze opłacone zamówienie (nieanulowane) zostało opłacone w okresie "
        "(składnik sessions_before_purchase)."
    ),
    "first_purchase_sessions": (
        "Σ, po klientach kupujących po raz pierwszy w okresie, ich sesji w ciągu 90 dni przed "
        "ich pierwszym opłaconym zamówieniem (składnik sessions_before_purchase)."
    ),
    "sessions_before_purchase": (
        "Dla każdego klienta, którego pierwsze opłacone zamówienie zostało opłacone w okresie: "
        "liczba jego sesji w ciągu 90 dni przed nim, uśredniona (first_purchase_sessions / "
        "first_purchase_customers)."
    ),
    "sessions_before_purchase_median": (
        "Dla każdego klienta, którego pierwsze opłacone zamówienie zostało opłacone w okresie: "
        "liczba jego sesji w ciągu 90 dni przed nim, mediana."
    ),
    "click_users": "Unikalni odwiedzający z punktem styku click w okresie.",
    "converted_click_users": (
        "Klikający użytkownicy z punktem styku purchase lub opłaconym zamówieniem w ciągu "
        "conversion_window_d dni po ich pierwszym kliknięciu w okresie."
    ),
    "conversion_rate": "converted_click_users / click_users.",
    "cart_visitors": "Unikalni odwiedzający z punktem styku add_to_cart w okresie.",
    "abandoned_cart_visitors": (
        "Odwiedzający z koszykiem bez zakupu w ciągu 24 h po ich ostatnim add_to_cart."
    ),
    "cart_abandonment_rate": "abandoned_cart_visitors / cart_visitors.",
    "revenue_gross": "Σ kwot opłaconych zamówień według paid_at w okresie, w ich walucie.",
    "refunds_by_date": "Σ zwrotów z ts w okresie, dowolnych zamówień, w walucie zamówienia.",
    "revenue_net": (
        "revenue_gross − refunds_by_date: opłacone zamówienia według paid_at minus zwroty według "
        "ts zwrotu, oba w okresie (według zdarzeń — widok kasowy)."
    ),
    "exposure_users": "Unikalni odwiedzający, którym w okresie wyświetlono produkt (impression).",
    "product_click_users": "Unikalni odwiedzający, którzy w okresie kliknęli produkt (click).",
    "product_clicks": "Punkty styku typu click dotyczące produktu w okresie.",
    "product_clicks_per_user": "product_clicks / product_click_users.",
    "product_ctr": "product_click_users / exposure_users.",
    "product_cart_users": (
        "Unikalni odwiedzający z punktem styku add_to_cart dla produktu w okresie."
    ),
    "new_click_users": (
        "Użytkownicy klikający produkt bez opłaconego zamówienia w sklepie w "
        "ciągu 365 dni przed ich pierwszym kliknięciem produktu w okresie."
    ),
    "returning_click_users": (
        "Użytkownicy klikający produkt z opłaconym zamówieniem w sklepie w "
        "ciągu 365 dni przed ich pierwszym kliknięciem produktu w okresie."
    ),
    "new_click_user_share": "new_click_users / product_click_users.",
    "returning_click_user_share": "returning_click_users / product_click_users.",
    "product_gmv": (
        "Σ kwot pozycji produktu w opłaconych zamówieniach utworzonych w "
        "okresie, których traffic_source jest źródłem przekroju, w ich walucie."
    ),
    "product_order_users": (
        "Unikalni klienci z zamówieniem produktu (opłaconym lub nie, "
        "nieanulowanym) utworzonym w okresie, którego traffic_source jest "
        "źródłem przekroju."
    ),
    "product_buyers": (
        "Unikalni klienci z opłaconym zamówieniem produktu utworzonym w "
        "okresie, którego traffic_source jest źródłem przekroju."
    ),
    "product_aov": "product_gmv / product_buyers.",
    "click_to_purchase_rate": "product_buyers / product_click_users.",
    "uv_value": "product_gmv / product_click_users.",
    "first_purchase_buyers": "Kupujący produkt bez wcześniejszego opłaconego zamówienia w sklepie.",
    "repeat_buyers": "Kupujący produkt z wcześniejszym opłaconym zamówieniem w sklepie.",
    "first_purchase_buyer_share": "first_purchase_buyers / product_buyers.",
    "repeat_buyer_share": "repeat_buyers / product_buyers.",
    "lost_users": (
        "Użytkownicy klikający produkt bez opłaconego zamówienia w tym sklepie "
        "(z dowolnego źródła) utworzonego w okresie."
    ),
}

SECTIONS: dict[str, str] = {
    "2": "Obsługa zapytań i interakcje",
    "3": "Jakość obsługi",
    "4": "Transakcje, konwersja zapytań i utrata klientów",
    "5": "Treści w mediach społecznościowych i transmisje",
    "6": "Rozważanie (ruch na stronie)",
    "7": "Lejek zakupowy",
    "9": "Analiza ruchu produktów",
}

DIMENSIONS: dict[str, str] = {
    "shop_id": "Sklep",
    "date": "Data",
    "hour": "Godzina",
    "week": "Tydzień",
    "month": "Miesiąc",
    "channel": "Kanał",
    "source": "Źródło zamówienia",
    "sender": "Nadawca",
    "staff_id": "Pracownik",
    "currency": "Waluta",
    "live_id": "Transmisja na żywo",
    "post_id": "Post",
    "product_id": "Produkt",
    "category": "Kategoria",
    "rounds_bucket": "Liczba tur",
    "duration_bucket": "Czas trwania rozmowy",
    "post_kind": "Typ posta",
    "kind": "Typ posta",
    "medium": "Medium",
    "campaign": "Kampania",
    "device": "Urządzenie",
    "first_session_channel": "Kanał pierwszej sesji",
    "traffic_source": "Źródło ruchu",
}

VALUES: dict[str, dict[str, str]] = {
    "channel": {
        "facebook": "Facebook",
        "instagram": "Instagram",
        "line": "LINE",
        "tiktok": "TikTok",
        "douyin": "Douyin",
        "whatsapp": "WhatsApp",
        "web_chat": "Czat na stronie",
        "youtube": "YouTube",
        "x": "X",
        "email": "E-mail",
        "sms": "SMS",
        "other": "Inne",
    },
    "source": {
        "message_center": "Centrum wiadomości",
        "live": "Transmisja na żywo",
        "post": "Post",
        "web": "Sklep internetowy",
        "app": "Aplikacja",
        "pos": "POS",
        "marketplace": "Marketplace",
        "other": "Inne",
    },
    "sender": {
        "customer": "Klient",
        "agent": "Konsultant",
        "bot": "Bot",
        "system": "System",
    },
    "three_minute": {
        "good": "Spełniona",
        "failed": "Niespełniona",
        "not_eligible": "Nie dotyczy",
    },
    "order_type": {
        "inquiry": "Zamówienie po zapytaniu",
        "silent": "Zamówienie bez kontaktu",
    },
    "inquiry_outcome": {
        "converted": "Konwersja",
        "ordered_unpaid": "Zamówienie bez płatności",
        "lost": "Utrata",
        "pending": "W toku",
    },
    "rounds_bucket": {
        "1": "1 tura",
        "2": "2 tury",
        "3-5": "3–5 tur",
        "6+": "6+ tur",
    },
    "duration_bucket": {
        "<5 min": "Poniżej 5 min",
        "5-30 min": "5–30 min",
        "30 min-2 h": "30 min – 2 godz.",
        "2 h+": "2 godz. lub dłużej",
    },
    "post_kind": {
        "post": "Post",
        "photo": "Zdjęcie",
        "video": "Wideo",
        "reel": "Rolka",
        "story": "Relacja",
        "short_video": "Krótkie wideo",
        "live": "Transmisja na żywo",
    },
    "kind": {
        "post": "Post",
        "photo": "Zdjęcie",
        "video": "Wideo",
        "reel": "Rolka",
        "story": "Relacja",
        "short_video": "Krótkie wideo",
        "live": "Transmisja na żywo",
    },
    "traffic_source": {
        "search": "Wyszukiwanie",
        "recommendation": "Rekomendacje",
        "shop_page": "Strona sklepu",
        "product_card": "Karta produktu",
        "live": "Transmisja na żywo",
        "short_video": "Krótkie wideo",
        "post": "Post",
        "ad": "Reklama",
        "cart": "Koszyk",
        "message": "Wiadomość",
        "external": "Zewnętrzne",
        "other": "Inne",
    },
}

DATA = LocaleData(
    ui=UI,
    metrics=METRICS,
    descriptions=DESCRIPTIONS,
    sections=SECTIONS,
    dimensions=DIMENSIONS,
    values=VALUES,
)
