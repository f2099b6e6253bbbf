"""Labels and explanations of the browser view in Bahasa Indonesia (default) and English.

Every visible text is looked up here with :func:`t`. ``TEXT`` maps a key to
``{"id": ..., "en": ...}``; lever keys are ``lever.<name>.label|help|unit``. A test checks
that every key has both languages and that every lever has all three keys.
"""

from __future__ import annotations

import math

LANGS = ("id", "en")
DEFAULT_LANG = "id"

_T = dict[str, dict[str, str]]

UI: _T = {
    "app.title": {"id": "Simulasi Industri Kota Blitar", "en": "Kota Blitar Industry Simulator"},
    "app.subtitle": {
        "id": "Jelajahi skenario kebijakan 2025–2045: pekerjaan, polusi dan kesehatan "
              "dibandingkan dengan skenario dasar.",
        "en": "Explore policy scenarios 2025–2045: jobs, pollution and health compared with "
              "the baseline."},
    "lang.label": {"id": "Bahasa", "en": "Language"},
    "ctl.scenario": {"id": "Skenario", "en": "Scenario"},
    "ctl.seed": {"id": "Benih acak (seed)", "en": "Random seed"},
    "ctl.scale": {"id": "Skala (rumah tangga nyata per agen)",
                  "en": "Scale (real households per agent)"},
    "ctl.scale_hint": {"id": "Angka lebih besar = lebih cepat; 1 = skala penuh (lambat).",
                       "en": "Larger = faster; 1 = full scale (slow)."},
    "ctl.play": {"id": "Putar", "en": "Play"},
    "ctl.pause": {"id": "Jeda", "en": "Pause"},
    "ctl.step": {"id": "Maju 1 bulan", "en": "Step 1 month"},
    "ctl.year": {"id": "Maju 1 tahun", "en": "Step 1 year"},
    "ctl.reset": {"id": "Mulai ulang", "en": "Reset"},
    "ctl.speed": {"id": "Kecepatan (bulan per detik)", "en": "Speed (months per second)"},
    "ctl.month": {"id": "Bulan {k} dari {n} — {date}", "en": "Month {k} of {n} — {date}"},
    "ctl.pending": {
        "id": "Pengaturan berubah. Simulasi dimulai ulang dari awal dengan pengaturan baru "
              "saat Anda menekan Putar, Maju atau Mulai ulang.",
        "en": "Settings changed. The run restarts from the beginning with the new settings "
              "when you press Play, Step or Reset."},
    "ctl.finished": {"id": "Simulasi telah mencapai akhir periode.",
                     "en": "The run has reached the end of the period."},
    "ctl.start": {"id": "awal", "en": "start"},
    "ctl.schedule": {"id": "Jadwal kebijakan bawaan skenario (berlaku di atas tuas pada "
                             "tanggalnya):",
                     "en": "The scenario's built-in policy schedule (overrides the levers "
                           "from its dates):"},
    "ctl.levers": {"id": "Tuas kebijakan", "en": "Policy levers"},
    "ctl.levers_hint": {
        "id": "Dikelompokkan menurut dinas pemiliknya. Rentang yang diizinkan ditampilkan "
              "di bawah setiap tuas.",
        "en": "Grouped by the agency that owns them. The allowed range is shown under each "
              "lever."},
    "ctl.range": {"id": "rentang {lo} – {hi}", "en": "range {lo} – {hi}"},
    "ctl.never": {"id": "tidak ada", "en": "none"},
    "ctl.on": {"id": "aktif", "en": "on"},
    "ctl.off": {"id": "tidak aktif", "en": "off"},
    "ctl.baseline_note": {
        "id": "Dasar pembanding: skenario '{name}' (kebijakan saat ini) dengan benih dan "
              "skala yang sama.",
        "en": "Baseline: scenario '{name}' (today's policies) with the same seed and scale."},
    "map.title": {"id": "Peta kota", "en": "City map"},
    "map.layer": {"id": "Lapisan", "en": "Layer"},
    "layer.air": {"id": "Polusi udara (PM2,5)", "en": "Air pollution (PM2.5)"},
    "layer.water": {"id": "Polusi sungai (BOD)", "en": "River pollution (BOD)"},
    "layer.landuse": {"id": "Tata guna lahan", "en": "Land use"},
    "map.boundaries": {"id": "Batas kecamatan", "en": "Kecamatan boundaries"},
    "map.firms": {"id": "Usaha", "en": "Firms"},
    "map.households": {"id": "Rumah tangga", "en": "Households"},
    "map.hint": {
        "id": "Arahkan kursor ke titik untuk ringkasan; klik untuk rincian keadaannya.",
        "en": "Hover over a dot for a summary; click it for its full state."},
    "map.green": {"id": "hijau (teknologi bersih)", "en": "green (clean technology)"},
    "map.not_green": {"id": "konvensional", "en": "conventional"},
    "map.legend_firms": {"id": "Usaha menurut sektor (lingkaran hijau = teknologi bersih)",
                         "en": "Firms by sector (green ring = clean technology)"},
    "map.legend_households": {"id": "Rumah tangga menurut pekerjaan",
                              "en": "Households by employment"},
    "hh.none": {"id": "tidak ada yang bekerja", "en": "nobody employed"},
    "hh.some": {"id": "sebagian bekerja", "en": "some employed"},
    "hh.all": {"id": "semua pekerja bekerja", "en": "all workers employed"},
    "hh.no_workers": {"id": "tanpa angkatan kerja", "en": "no labour force"},
    "landuse.residential": {"id": "permukiman", "en": "residential"},
    "landuse.commercial": {"id": "perdagangan", "en": "commercial"},
    "landuse.industrial": {"id": "industri", "en": "industrial"},
    "landuse.green": {"id": "ruang hijau", "en": "green space"},
    "landuse.river": {"id": "sungai", "en": "river"},
    "sector.food_beverage": {"id": "makanan & minuman", "en": "food & beverage"},
    "sector.tofu_tempe": {"id": "tahu & tempe", "en": "tofu & tempe"},
    "sector.tobacco": {"id": "rokok", "en": "tobacco"},
    "sector.wood_furniture": {"id": "kayu & mebel", "en": "wood & furniture"},
    "sector.textile_batik": {"id": "tekstil & batik", "en": "textile & batik"},
    "sector.other_manufacturing": {"id": "industri lain", "en": "other manufacturing"},
    "sector.services": {"id": "jasa", "en": "services"},
    "insp.title": {"id": "Agen terpilih", "en": "Selected agent"},
    "insp.none": {"id": "Klik usaha atau rumah tangga di peta.",
                  "en": "Click a firm or household on the map."},
    "insp.firm": {"id": "Usaha", "en": "Firm"},
    "insp.household": {"id": "Rumah tangga", "en": "Household"},
    "insp.gone": {"id": "Agen ini sudah tidak ada (usaha tutup).",
                  "en": "This agent no longer exists (the firm closed)."},
    "yes": {"id": "ya", "en": "yes"},
    "no": {"id": "tidak", "en": "no"},
    "state.row": {"id": "nomor", "en": "number"},
    "state.members": {"id": "anggota", "en": "members"},
    "state.workers": {"id": "pekerja", "en": "workers"},
    "state.employed": {"id": "bekerja", "en": "employed"},
    "state.income_rp_mn": {"id": "pendapatan (Rp juta/bulan)", "en": "income (Rp million/month)"},
    "state.health": {"id": "kesehatan (0–1)", "en": "health (0–1)"},
    "state.air_ugm3": {"id": "PM2,5 di rumah (µg/m³)", "en": "PM2.5 at home (µg/m³)"},
    "state.river_bod_mg_l": {"id": "BOD sungai terdekat (mg/L)", "en": "nearby river BOD (mg/L)"},
    "state.sector": {"id": "sektor", "en": "sector"},
    "state.output_rp_mn": {"id": "nilai tambah (Rp juta/bulan)",
                           "en": "value added (Rp million/month)"},
    "state.profit_rp_mn": {"id": "laba (Rp juta/bulan)", "en": "profit (Rp million/month)"},
    "state.green": {"id": "teknologi bersih", "en": "clean technology"},
    "state.awareness": {"id": "kesadaran lingkungan (0–1)", "en": "environmental awareness (0–1)"},
    "state.capability": {"id": "kemampuan teknis (0–1)", "en": "technical capability (0–1)"},
    "state.air_kg": {"id": "emisi udara (kg/bulan)", "en": "air emissions (kg/month)"},
    "state.water_kg": {"id": "limbah cair BOD (kg/bulan)", "en": "wastewater BOD (kg/month)"},
    "state.violations": {"id": "pelanggaran ditemukan", "en": "violations found"},
    "state.workshops": {"id": "lokakarya diikuti", "en": "workshops attended"},
    "pillar.economy": {"id": "Ekonomi", "en": "Economy"},
    "pillar.environment": {"id": "Lingkungan", "en": "Environment"},
    "pillar.social": {"id": "Sosial", "en": "Social"},
    "card.vs": {"id": "dibanding dasar", "en": "vs baseline"},
    "card.same": {"id": "sama dengan dasar", "en": "same as baseline"},
    "chart.title": {"id": "Perkembangan indikator", "en": "Indicators over time"},
    "chart.run": {"id": "Skenario ini", "en": "This scenario"},
    "chart.baseline": {"id": "Dasar", "en": "Baseline"},
    "dl.title": {"id": "Unduh hasil", "en": "Download results"},
    "dl.csv": {"id": "Deret waktu (CSV)", "en": "Time series (CSV)"},
    "dl.manifest": {"id": "Manifes (JSON)", "en": "Manifest (JSON)"},
    "err.title": {"id": "Terjadi masalah", "en": "Something went wrong"},
    "err.range": {"id": "{label}: nilai {value} di luar rentang yang diizinkan {lo} – {hi}.",
                  "en": "{label}: value {value} is outside the allowed range {lo} – {hi}."},
    "err.choice": {"id": "{label}: nilai {value} tidak diizinkan; pilih salah satu dari {allowed}.",
                   "en": "{label}: value {value} is not allowed; choose one of {allowed}."},
    "err.type": {"id": "{label}: nilai {value!r} tidak valid.",
                 "en": "{label}: value {value!r} is not valid."},
    "err.year": {"id": "{label}: tahun {value} harus 0 (tidak ada) atau {lo} – {hi}.",
                 "en": "{label}: year {value} must be 0 (none) or {lo} – {hi}."},
    "err.model": {"id": "Model tidak dapat dijalankan dengan pengaturan ini: {msg}",
                  "en": "The model cannot run with these settings: {msg}"},
    "err.end": {"id": "Simulasi sudah mencapai akhir periode; tekan Mulai ulang.",
                "en": "The run is over; press Reset."},
    "scenario.desc_en_only": {"id": "(deskripsi skenario dalam bahasa Inggris)",
                              "en": ""},
    "scenario.blitar": {"id": "blitar — kondisi saat ini (terkalibrasi)",
                        "en": "blitar — today's policies (calibrated)"},
    "scenario.blitar.desc": {
        "id": "Skenario dasar terkalibrasi: Kota Blitar per 2025 dengan kebijakan saat ini "
              "(tanpa pungutan emisi, baku mutu tidak mengikat, inspeksi ringan, sedikit "
              "lokakarya IKM dan kursi pelatihan, UMK tumbuh seperti beberapa tahun terakhir). "
              "Menjadi pembanding bagi semua skenario lain.",
        "en": "The calibrated default: Kota Blitar as of 2025 under today's policies (no "
              "emission charge, no binding standard, light inspections, a few IKM workshops "
              "and training seats, UMK growing at its recent pace). The reference every "
              "other scenario is compared with."},
    "scenario.baseline": {"id": "baseline — skenario dasar", "en": "baseline — reference"},
    "scenario.green_package": {"id": "green_package — paket industri hijau",
                               "en": "green_package — green industry package"},
    "scenario.big_plant": {"id": "big_plant — pabrik besar baru",
                           "en": "big_plant — a new large plant"},
    "scenario.ipal_pakunden": {"id": "ipal_pakunden — IPAL komunal Pakunden",
                               "en": "ipal_pakunden — shared IPAL at Pakunden"},
    "scenario.strict_zoning": {"id": "strict_zoning — zonasi ketat",
                               "en": "strict_zoning — strict zoning"},
    "scenario.dialogue": {"id": "dialogue — forum dialog", "en": "dialogue — dialogue forum"},
}

AGENCIES: _T = {
    "agency.Disperindag": {"id": "Disperindag — Perindustrian dan Perdagangan",
                           "en": "Disperindag — Industry and Trade"},
    "agency.DLH": {"id": "DLH — Lingkungan Hidup", "en": "DLH — Environment"},
    "agency.DPMPTSP": {"id": "DPMPTSP — Penanaman Modal dan Perizinan",
                       "en": "DPMPTSP — Investment and Licensing"},
    "agency.Dinkop UM & Naker": {"id": "Dinkop UM & Naker — Koperasi, Usaha Mikro dan Tenaga Kerja",
                                 "en": "Dinkop UM & Naker — Cooperatives, Micro Business "
                                       "and Labour"},
}

INDICATORS: _T = {
    "ind.grdp": {"id": "PDRB", "en": "GRDP"},
    "ind.grdp.unit": {"id": "Rp miliar/bulan (harga 2025)", "en": "Rp billion/month (2025 prices)"},
    "ind.employment_manufacturing": {"id": "Pekerja industri", "en": "Manufacturing jobs"},
    "ind.employment_manufacturing.unit": {"id": "orang", "en": "persons"},
    "ind.unemployment_rate": {"id": "Pengangguran terbuka", "en": "Unemployment"},
    "ind.unemployment_rate.unit": {"id": "% angkatan kerja", "en": "% of labour force"},
    "ind.emissions_air": {"id": "Emisi udara", "en": "Air emissions"},
    "ind.emissions_air.unit": {"id": "ton PM/bulan", "en": "tonnes PM/month"},
    "ind.emissions_water": {"id": "Limbah cair ke sungai", "en": "Wastewater to the river"},
    "ind.emissions_water.unit": {"id": "ton BOD/bulan", "en": "tonnes BOD/month"},
    "ind.exposure_population_weighted": {"id": "Paparan PM2,5 warga", "en": "Residents' PM2.5"},
    "ind.exposure_population_weighted.unit": {"id": "µg/m³ (baku mutu 15)",
                                              "en": "µg/m³ (standard 15)"},
    "ind.river_concentration_downstream": {"id": "BOD sungai di hilir",
                                           "en": "River BOD downstream"},
    "ind.river_concentration_downstream.unit": {"id": "mg/L (baku mutu 3)",
                                                "en": "mg/L (standard 3)"},
    "ind.mean_health": {"id": "Kesehatan rata-rata", "en": "Mean health"},
    "ind.mean_health.unit": {"id": "indeks 0–1", "en": "index 0–1"},
    "ind.income_gini": {"id": "Ketimpangan pendapatan", "en": "Income inequality"},
    "ind.income_gini.unit": {"id": "Gini 0–1", "en": "Gini 0–1"},
    "ind.complaints": {"id": "Pengaduan warga", "en": "Complaints"},
    "ind.complaints.unit": {"id": "per bulan", "en": "per month"},
}


def _lever(name: str, label: tuple[str, str], unit: tuple[str, str],
           help_: tuple[str, str]) -> _T:
    return {f"lever.{name}.label": {"id": label[0], "en": label[1]},
            f"lever.{name}.unit": {"id": unit[0], "en": unit[1]},
            f"lever.{name}.help": {"id": help_[0], "en": help_[1]}}


LEVERS: _T = {
    **_lever("emission_charge", ("Pungutan emisi", "Emission charge"),
             ("Rp per kg", "Rp per kg"),
             ("Biaya per kg polutan udara dan air yang dibuang usaha. Mendorong teknologi "
              "bersih tetapi menambah biaya produksi.",
              "Charge per kg of air and water pollutant a firm releases. Pushes firms to "
              "clean technology but raises their costs.")),
    **_lever("emission_standard", ("Baku mutu emisi", "Emission standard"),
             ("× intensitas teknologi konvensional", "× conventional intensity"),
             ("Batas intensitas emisi relatif terhadap rata-rata sektor; 2,0 = tidak "
              "mengikat. Usaha di atas batas dapat didenda bila diinspeksi.",
              "Maximum emission intensity relative to the sector average; 2.0 = not "
              "binding. Firms above it can be fined when inspected.")),
    **_lever("inspection_rate", ("Tingkat inspeksi", "Inspection rate"),
             ("bagian usaha industri per tahun", "share of manufacturers per year"),
             ("Berapa banyak usaha industri yang diperiksa DLH setiap tahun.",
              "How many manufacturers DLH inspects each year.")),
    **_lever("fine", ("Denda", "Fine"), ("Rp juta per pelanggaran", "Rp million per violation"),
             ("Denda administratif untuk setiap pelanggaran yang ditemukan saat inspeksi.",
              "Administrative fine for each violation found in an inspection.")),
    **_lever("green_subsidy_share", ("Subsidi teknologi hijau", "Green technology subsidy"),
             ("bagian biaya", "share of cost"),
             ("Bagian biaya teknologi bersih yang ditanggung pemerintah kota.",
              "Share of the cost of clean technology paid by the city.")),
    **_lever("workshop_slots_per_year", ("Lokakarya IKM", "IKM workshops"),
             ("usaha per tahun", "firms per year"),
             ("Jumlah IKM yang dibina setiap tahun tentang produksi bersih.",
              "Number of small firms (IKM) coached on cleaner production each year.")),
    **_lever("workshop_awareness_gain", ("Efek lokakarya", "Workshop effect"),
             ("bagian kesenjangan ditutup", "share of gap closed"),
             ("Seberapa besar satu lokakarya menaikkan kesadaran lingkungan usaha.",
              "How much one workshop raises a firm's environmental awareness.")),
    **_lever("skills_training_seats_per_year", ("Kursi pelatihan kerja", "Skills training seats"),
             ("orang per tahun", "persons per year"),
             ("Jumlah pencari kerja yang mengikuti pelatihan keterampilan (BLK) per tahun.",
              "Number of job seekers given vocational training (BLK) each year.")),
    **_lever("training_skill_gain", ("Efek pelatihan", "Training effect"),
             ("kenaikan keterampilan relatif", "relative skill gain"),
             ("Kenaikan keterampilan (dan produktivitas) peserta pelatihan.",
              "Skill (and productivity) gain of a trainee.")),
    **_lever("zoning_buffer_cells", ("Zona penyangga industri", "Industrial buffer zone"),
             ("sel (~57 m) dari permukiman", "cells (~57 m) from homes"),
             ("Usaha industri baru hanya diizinkan di lahan industri yang berjarak "
              "sekian sel dari permukiman (0 = di mana saja).",
              "New manufacturers are permitted only on industrial land at least this many "
              "cells from homes (0 = anywhere).")),
    **_lever("ipal_pakunden_year", ("IPAL komunal Pakunden", "Shared IPAL at Pakunden"),
             ("tahun mulai beroperasi", "year it opens"),
             ("Tahun instalasi pengolahan air limbah bersama untuk perajin tahu mulai "
              "beroperasi (tidak ada = tidak dibangun).",
              "Year the shared wastewater treatment plant for tofu makers opens (none = "
              "not built).")),
    **_lever("ipal_removal_share", ("Efisiensi IPAL", "IPAL efficiency"),
             ("bagian BOD tersisihkan", "share of BOD removed"),
             ("Bagian beban BOD limbah tahu yang disisihkan IPAL.",
              "Share of the tofu wastewater BOD removed by the IPAL.")),
    **_lever("dialogue", ("Forum dialog", "Dialogue forum"), ("aktif/tidak", "on/off"),
             ("Forum enam bulanan warga, usaha dan pemerintah yang menyesuaikan kebijakan "
              "menurut pengaduan dan pengangguran.",
              "A six-monthly forum of residents, firms and government that adjusts policy "
              "to complaints and unemployment.")),
    **_lever("research_partnership", ("Kemitraan riset", "Research partnership"),
             ("aktif/tidak", "on/off"),
             ("Kerja sama dengan perguruan tinggi: perkiraan emisi yang lebih baik membuat "
              "inspeksi DLH tepat sasaran pada pencemar terberat.",
              "Partnership with universities: better emission estimates let DLH target "
              "inspections at the worst polluters.")),
    **_lever("international_partnership", ("Kemitraan internasional",
                                           "International partnership"),
             ("aktif/tidak", "on/off"),
             ("Alih teknologi yang menurunkan biaya teknologi bersih lebih cepat.",
              "Technology transfer that lowers the cost of clean technology faster.")),
    **_lever("umk_growth_per_year", ("Kenaikan UMK", "Minimum wage (UMK) growth"),
             ("per tahun setelah 2026", "per year after 2026"),
             ("Kenaikan upah minimum kota per tahun (0,066 = 6,6 %).",
              "Yearly growth of the city minimum wage (0.066 = 6.6 %).")),
    **_lever("big_plant_year", ("Pabrik besar baru", "New large plant"),
             ("tahun dibuka", "year it opens"),
             ("Tahun sebuah pabrik rokok besar (~3.000 pekerja) dibuka di Kel. Blitar "
              "(tidak ada = tidak dibuka).",
              "Year a large cigarette plant (~3,000 jobs) opens in Kel. Blitar (none = "
              "not opened).")),
}

TEXT: _T = {**UI, **AGENCIES, **INDICATORS, **LEVERS}


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then to the key)."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in TEXT


def number(x: float, digits: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A number with thousands separators in the language's style (id: 1.234,5)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    s = f"{x:,.{digits}f}"
    if lang == "id":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s
