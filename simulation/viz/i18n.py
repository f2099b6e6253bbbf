"""Every visible text of the browser view, in Bahasa Indonesia (default) and English.

Texts are looked up with :func:`t`; ``TEXT`` maps a key to ``{"id": ..., "en": ...}``.
What a lever or indicator *is* (unit, range, agency, direction) comes from the config and
the indicator registry; this module only says how to show it in each language:

- ``LEVER_DISPLAY``: a lever's label and help text, and how its value reads (prefix and
  suffix, percent or not). ``translates`` names the config unit the display renders, so a
  unit changed in the config fails ``tests/browser/test_viz_units.py`` until the
  translation is checked.
- ``UNITS``: the display form of each indicator unit of
  :data:`simulation.model.indicators.INDICATORS` (keyed by the registry's unit text, for
  the same reason). Shares are shown in percent, their changes in percentage points.

Numbers use the language's separators (id: 1.234,5) and a true minus sign (−).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LANGS = ("id", "en")
DEFAULT_LANG = "id"
MINUS = "\u2212"

_T = dict[str, dict[str, str]]

UI: _T = {
    "app.title": {"id": "Simulasi Industri Kota Blitar", "en": "Kota Blitar Industry Simulator"},
    "app.subtitle": {
        "id": "Jelajahi skenario kebijakan 2025–2045: lapangan kerja, polusi dan kesehatan "
              "dibandingkan dengan skenario dasar.",
        "en": "Explore policy scenarios 2025–2045: jobs, pollution and health compared with "
              "the baseline."},
    "app.menu": {"id": "Pengaturan", "en": "Settings"},
    "app.close": {"id": "Tutup", "en": "Close"},
    "ctl.scenario": {"id": "Skenario", "en": "Scenario"},
    "ctl.seed": {"id": "Nomor benih acak", "en": "Random seed"},
    "ctl.seed_hint": {"id": "0 atau lebih", "en": "0 or more"},
    "ctl.scale": {"id": "Skala model", "en": "Model scale"},
    "ctl.scale_item": {"id": "1 agen = {n} rumah tangga", "en": "1 agent = {n} households"},
    "ctl.scale_full": {"id": "skala penuh (1 agen = 1 rumah tangga)",
                       "en": "full scale (1 agent = 1 household)"},
    "ctl.scale_hint": {
        "id": "Skala penuh disarankan. Skala kasar lebih cepat tetapi hasilnya bisa "
              "menyimpang dari skala penuh.",
        "en": "Full scale is recommended. Coarser scales are faster but can drift from full "
              "scale."},
    "ctl.play": {"id": "Putar", "en": "Play"},
    "ctl.pause": {"id": "Jeda", "en": "Pause"},
    "ctl.step": {"id": "Maju 1 bulan", "en": "Step 1 month"},
    "ctl.year": {"id": "Maju 1 tahun", "en": "Step 1 year"},
    "ctl.reset": {"id": "Mulai ulang", "en": "Reset"},
    "ctl.speed": {"id": "Kecepatan diminta", "en": "Requested speed"},
    "ctl.speed_unit": {"id": "bulan/detik", "en": "months/s"},
    "ctl.achieved": {"id": "tercapai {v} bulan/detik", "en": "achieved {v} months/s"},
    "ctl.busy": {
        "id": "Server sedang sibuk ({n} tab berjalan bersamaan): kecepatan tercapai lebih "
              "rendah dari yang diminta.",
        "en": "The server is busy ({n} tabs running at once): the achieved speed is below the "
              "requested one."},
    "ctl.month": {"id": "Bulan {k} dari {n} — {date}", "en": "Month {k} of {n} — {date}"},
    "ctl.pending": {
        "id": "Pengaturan berubah. Simulasi dimulai ulang dari awal dengan pengaturan baru "
              "saat Anda menekan Putar, Maju atau Mulai ulang.",
        "en": "Settings changed. The run restarts from the beginning with the new settings "
              "when you press Play, Step or Reset."},
    "ctl.finished": {"id": "Simulasi telah mencapai akhir periode.",
                     "en": "The run has reached the end of the period."},
    "ctl.start": {"id": "awal", "en": "start"},
    "ctl.levers": {"id": "Tuas kebijakan", "en": "Policy levers"},
    "ctl.levers_loading": {"id": "Memuat tuas kebijakan…", "en": "Loading the policy levers…"},
    "ctl.levers_hint": {
        "id": "Dikelompokkan menurut dinas pemiliknya. Geser atau ketik nilainya; rentang "
              "yang diizinkan ada di bawah setiap tuas. Nilai yang tampil adalah yang berlaku "
              "pada bulan ini.",
        "en": "Grouped by the agency that owns them. Drag or type a value; the allowed range "
              "is shown under each lever. Values shown are those in force this month."},
    "ctl.range": {"id": "rentang {r}", "en": "range {r}"},
    "ctl.type": {"id": "Ketik nilai", "en": "Type a value"},
    "ctl.never": {"id": "tidak ada", "en": "none"},
    "ctl.on": {"id": "aktif", "en": "on"},
    "ctl.off": {"id": "tidak aktif", "en": "off"},
    "ctl.changed_by": {"id": "diubah oleh {who} pada {date} (awal: {start})",
                       "en": "changed by {who} in {date} (start: {start})"},
    "ctl.scheduled": {"id": "terjadwal: {items}", "en": "scheduled: {items}"},
    "ctl.baseline_note": {
        "id": "Pembanding: {name}, dengan nomor benih dan skala yang sama.",
        "en": "Compared with: {name}, with the same seed and scale."},
    "who.schedule": {"id": "jadwal skenario", "en": "the scenario's schedule"},
    "who.forum": {"id": "forum dialog", "en": "the dialogue forum"},
    "tl.title": {"id": "Linimasa kebijakan", "en": "Policy timeline"},
    "tl.none": {"id": "Tidak ada perubahan kebijakan terjadwal dalam skenario ini.",
                "en": "This scenario has no scheduled policy changes."},
    "tl.schedule": {"id": "Jadwal", "en": "Schedule"},
    "tl.forum": {"id": "Forum dialog", "en": "Dialogue forum"},
    "tl.upcoming": {"id": "akan datang", "en": "upcoming"},
    "tl.applied": {"id": "sudah berlaku", "en": "in force"},
    "map.title": {"id": "Peta kota", "en": "City map"},
    "layer.air": {"id": "Polusi udara (PM2,5)", "en": "Air pollution (PM2.5)"},
    "layer.water": {"id": "Polusi sungai (BOD)", "en": "River pollution (BOD)"},
    "layer.landuse": {"id": "Tata guna lahan", "en": "Land use"},
    "map.boundaries": {"id": "Batas wilayah", "en": "Boundaries"},
    "map.industry": {"id": "Usaha industri", "en": "Manufacturers"},
    "map.services": {"id": "Usaha jasa", "en": "Service businesses"},
    "map.households": {"id": "Rumah tangga", "en": "Households"},
    "map.hint": {
        "id": "Arahkan kursor ke titik untuk ringkasan; klik untuk rinciannya.",
        "en": "Hover over a dot for a summary; click it for details."},
    "map.north": {"id": "U", "en": "N"},
    "map.illustrative": {
        "id": "Sebagian peta ini ilustratif: bagian yang tidak berasal dari data terbuka "
              "(misalnya tata guna lahan dan alur sungai yang persis) adalah perkiraan.",
        "en": "Illustrative map: {reason}"},
    "map.green": {"id": "teknologi bersih", "en": "clean technology"},
    "map.not_green": {"id": "teknologi konvensional", "en": "conventional technology"},
    "map.legend_firms": {"id": "Usaha menurut sektor (lingkaran hijau = teknologi bersih)",
                         "en": "Firms by sector (green ring = clean technology)"},
    "map.legend_households": {"id": "Rumah tangga menurut pekerjaan anggotanya",
                              "en": "Households by their members' work"},
    "map.sample": {"id": "ditampilkan 1 dari setiap {k} rumah tangga",
                   "en": "showing 1 in every {k} households"},
    "map.standard": {"id": "baku mutu {v}", "en": "standard {v}"},
    "map.kecamatan": {"id": "kecamatan", "en": "kecamatan"},
    "map.kelurahan": {"id": "kelurahan", "en": "kelurahan"},
    "map.places": {"id": "Tempat penting", "en": "Named places"},
    "layer.kelurahan": {"id": "Per kelurahan", "en": "By kelurahan"},
    "kel.title": {"id": "Hasil per kelurahan", "en": "Results by kelurahan"},
    "kel.choose": {"id": "Angka per kelurahan", "en": "Figure by kelurahan"},
    "kel.mode_value": {"id": "Nilai skenario", "en": "Scenario value"},
    "kel.mode_difference": {"id": "Selisih dengan dasar", "en": "Difference from baseline"},
    "kel.show_on_map": {"id": "Tampilkan di peta", "en": "Show on the map"},
    "kel.col_name": {"id": "Kelurahan", "en": "Kelurahan"},
    "kel.col_kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "kel.col_run": {"id": "Skenario ini", "en": "This scenario"},
    "kel.col_base": {"id": "Skenario dasar", "en": "Baseline"},
    "kel.col_diff": {"id": "Selisih rata-rata", "en": "Mean difference"},
    "kel.col_verdict": {"id": "Uji beda", "en": "Test"},
    "kel.base_short": {"id": "dasar", "en": "baseline"},
    "kel.at_start": {"id": "keadaan awal: perbandingan dimulai setelah bulan pertama",
                     "en": "starting state: the comparison starts after the first month"},
    "kel.none_identical": {"id": "sama persis dengan skenario dasar di semua kelurahan",
                           "en": "identical to the baseline in every kelurahan"},
    "kel.none_real": {"id": "tidak ada kelurahan yang berbeda nyata dari skenario dasar "
                            "({n} nomor benih)",
                      "en": "no kelurahan differs really from the baseline ({n} seeds)"},
    "kel.some_real": {"id": "{k} kelurahan berbeda nyata dari skenario dasar ({up} naik, "
                            "{down} turun; {n} nomor benih); terbesar di {name}: {d} {unit}",
                      "en": "{k} kelurahan differ really from the baseline ({up} up, {down} "
                            "down; {n} seeds); most in {name}: {d} {unit}"},
    "kel.table_note": {
        "id": "Selisih rata-rata = rata-rata beda skenario ini dan skenario dasar pada nomor "
              "benih yang sama; beda nyata bila selang kepercayaan 95 % tidak memuat nol. "
              "Arahkan kursor ke kelurahan di peta untuk angka lainnya.",
        "en": "Mean difference = mean of this scenario minus the baseline on common seeds; a "
              "real difference when its 95 % interval excludes zero. Hover a kelurahan on "
              "the map for its other figures."},
    "kel.legend_value": {"id": "nilai skenario ini", "en": "value in this scenario"},
    "kel.legend_diff": {"id": "selisih dengan skenario dasar",
                        "en": "difference from the baseline"},
    "kel.legend_noise": {"id": "dalam batas acak atau belum diketahui",
                         "en": "within noise or not known yet"},
    "hh.none": {"id": "tidak ada yang bekerja", "en": "nobody employed"},
    "hh.some": {"id": "sebagian bekerja", "en": "some employed"},
    "hh.all": {"id": "semua angkatan kerja bekerja", "en": "all workers employed"},
    "hh.no_workers": {"id": "tanpa angkatan kerja", "en": "no labour force"},
    "landuse.residential": {"id": "permukiman", "en": "residential"},
    "landuse.commercial": {"id": "perdagangan", "en": "commercial"},
    "landuse.industrial": {"id": "industri", "en": "industrial"},
    "landuse.green": {"id": "ruang hijau", "en": "green space"},
    "landuse.river": {"id": "sungai", "en": "river"},
    "landuse.outside": {"id": "luar kota", "en": "outside the city"},
    "sector.food_beverage": {"id": "makanan & minuman", "en": "food & beverage"},
    "sector.tofu_tempe": {"id": "tahu & tempe", "en": "tofu & tempe"},
    "sector.tobacco": {"id": "rokok", "en": "tobacco"},
    "sector.wood_furniture": {"id": "kayu & mebel", "en": "wood & furniture"},
    "sector.textile_batik": {"id": "tekstil & batik", "en": "textile & batik"},
    "sector.other_manufacturing": {"id": "industri lain", "en": "other manufacturing"},
    "sector.services": {"id": "jasa", "en": "services"},
    "insp.title": {"id": "Rincian titik terpilih", "en": "Selected dot"},
    "insp.none": {"id": "Klik usaha atau rumah tangga di peta.",
                  "en": "Click a firm or household on the map."},
    "insp.firm": {"id": "Usaha", "en": "Firm"},
    "insp.household": {"id": "Rumah tangga", "en": "Household"},
    "insp.gone": {"id": "Usaha ini sudah tutup.", "en": "This firm has closed."},
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
    "state.awareness": {"id": "kepedulian lingkungan (0–1)", "en": "environmental awareness (0–1)"},
    "state.capability": {"id": "kemampuan teknis (0–1)", "en": "technical capability (0–1)"},
    "state.air_kg": {"id": "emisi udara (kg/bulan)", "en": "air emissions (kg/month)"},
    "state.water_kg": {"id": "limbah cair BOD (kg/bulan)", "en": "wastewater BOD (kg/month)"},
    "state.violations": {"id": "pelanggaran ditemukan", "en": "violations found"},
    "state.workshops": {"id": "pembinaan diikuti", "en": "workshops attended"},
    "pillar.economy": {"id": "Ekonomi", "en": "Economy"},
    "pillar.environment": {"id": "Lingkungan", "en": "Environment"},
    "pillar.social": {"id": "Sosial", "en": "Social"},
    "card.vs": {"id": "dibanding dasar", "en": "vs baseline"},
    "card.same": {"id": "sama dengan dasar", "en": "same as baseline"},
    "card.points": {"id": "poin persen", "en": "percentage points"},
    "card.waiting": {"id": "dasar pembanding sedang dihitung…",
                     "en": "baseline being computed…"},
    "card.start": {"id": "keadaan awal", "en": "starting state"},
    "verdict.distinguishable": {"id": "beda nyata", "en": "real difference"},
    "verdict.within_noise": {"id": "dalam batas acak", "en": "within noise"},
    "verdict.identical": {"id": "sama persis", "en": "identical"},
    "verdict.undetermined": {"id": "menunggu pita acak", "en": "waiting for the band"},
    "verdict.help": {
        "id": "Beda nyata: selisih rata-rata dari {n} nomor benih, dengan selang kepercayaan "
              "95 % ({lo} sampai {hi}), tidak mencakup nol. Dalam batas acak: selisihnya bisa "
              "saja kebetulan.",
        "en": "Real difference: the mean difference over {n} seeds, with its 95 % interval "
              "({lo} to {hi}), excludes zero. Within noise: the difference could be chance."},
    "band.progress": {"id": "Pita acak: {done} dari {total} simulasi pembanding selesai "
                            "dihitung (di latar belakang).",
                      "en": "Noise band: {done} of {total} comparison runs computed (in the "
                            "background)."},
    "band.ready": {"id": "Pita acak dan uji beda dari {total} nomor benih.",
                   "en": "Noise band and test from {total} seeds."},
    "chart.title": {"id": "Perkembangan indikator", "en": "Indicators over time"},
    "chart.run": {"id": "Skenario ini", "en": "This scenario"},
    "chart.baseline": {"id": "Dasar", "en": "Baseline"},
    "chart.band": {"id": "pita 5–95 % antar nomor benih", "en": "5–95 % band over seeds"},
    "chart.standard": {"id": "baku mutu", "en": "standard"},
    "chart.event": {"id": "perubahan kebijakan", "en": "policy change"},
    "dl.title": {"id": "Unduh hasil", "en": "Download results"},
    "dl.csv": {"id": "Data bulanan (CSV)", "en": "Monthly data (CSV)"},
    "dl.manifest": {"id": "Catatan pengaturan dan versi (JSON)",
                    "en": "Settings and versions record (JSON)"},
    "err.number": {"id": "{label}: “{value}” bukan angka. Masukkan angka {range}.",
                   "en": "{label}: “{value}” is not a number. Enter a number {range}."},
    "err.integer": {"id": "{label}: “{value}” bukan bilangan bulat. Masukkan bilangan bulat "
                          "{range}.",
                    "en": "{label}: “{value}” is not a whole number. Enter a whole number "
                          "{range}."},
    "err.range": {"id": "{label}: {value} di luar rentang yang diizinkan ({range}).",
                  "en": "{label}: {value} is outside the allowed range ({range})."},
    "err.choice": {"id": "{label}: “{value}” tidak dikenal; pilih salah satu: {range}.",
                   "en": "{label}: “{value}” is not recognised; choose one of: {range}."},
    "err.year": {"id": "{label}: tahun {value} di luar periode simulasi; pilih “tidak ada” "
                       "atau {range}.",
                 "en": "{label}: year {value} is outside the simulated period; choose “none” "
                       "or {range}."},
    "err.kept": {"id": "Simulasi yang berjalan tetap dipertahankan.",
                 "en": "The current run is kept."},
    "err.model": {"id": "Model tidak dapat dijalankan dengan pengaturan ini. Rincian teknis "
                        "ada di catatan server.",
                  "en": "The model cannot run with these settings. Technical details are in "
                        "the server log."},
    "err.end": {"id": "Simulasi sudah mencapai akhir periode; tekan Mulai ulang.",
                "en": "The run is over; press Reset."},
    "err.bug": {"id": "Terjadi kesalahan tak terduga; simulasi tetap dipertahankan. Rincian "
                      "teknis ada di catatan server.",
                "en": "Something unexpected went wrong; the run is kept. Technical details "
                      "are in the server log."},
    "scenario.blitar": {"id": "kondisi saat ini (skenario dasar)",
                        "en": "today's policies (baseline)"},
    "scenario.baseline": {"id": "kondisi saat ini (skenario dasar)",
                          "en": "today's policies (baseline)"},
    "scenario.green_package": {"id": "paket industri hijau",
                               "en": "green industry package"},
    "scenario.big_plant": {"id": "pabrik besar baru", "en": "a new large plant"},
    "scenario.ipal_pakunden": {"id": "IPAL komunal Pakunden",
                               "en": "shared IPAL at Pakunden"},
    "scenario.strict_zoning": {"id": "zonasi industri ketat", "en": "strict industrial zoning"},
    "scenario.dialogue": {"id": "forum dialog", "en": "dialogue forum"},
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

# indicator names (units: UNITS, keyed by the registry's unit text)
INDICATOR_NAMES: _T = {
    "ind.grdp": {"id": "PDRB", "en": "GRDP"},
    "ind.employment_manufacturing": {"id": "Pekerja industri", "en": "Manufacturing jobs"},
    "ind.unemployment_rate": {"id": "Pengangguran terbuka", "en": "Unemployment"},
    "ind.emissions_air": {"id": "Emisi udara", "en": "Air emissions"},
    "ind.emissions_water": {"id": "Limbah cair ke sungai", "en": "Wastewater to the river"},
    "ind.green_share": {"id": "Industri berteknologi bersih", "en": "Clean-technology firms"},
    "ind.exposure_population_weighted": {"id": "Paparan PM2,5 warga", "en": "Residents' PM2.5"},
    "ind.river_concentration_downstream": {"id": "BOD sungai di hilir",
                                           "en": "River BOD downstream"},
    "ind.mean_health": {"id": "Kesehatan rata-rata", "en": "Mean health"},
    "ind.income_gini": {"id": "Ketimpangan pendapatan", "en": "Income inequality"},
    "ind.complaints": {"id": "Pengaduan warga", "en": "Complaints"},
}

# registry unit text -> display unit (shares are shown in percent)
# the columns of the per-kelurahan table (simulation/model/kelurahan.py) and their units
KELURAHAN_NAMES: _T = {
    "kel.households": {"id": "Rumah tangga", "en": "Households"},
    "kel.residents": {"id": "Penduduk", "en": "Residents"},
    "kel.employed_residents": {"id": "Penduduk bekerja", "en": "Employed residents"},
    "kel.unemployed_residents": {"id": "Penduduk menganggur", "en": "Unemployed residents"},
    "kel.informal_workers": {"id": "Pekerja informal", "en": "Informal workers"},
    "kel.jobs": {"id": "Lapangan kerja formal di sini", "en": "Formal jobs located here"},
    "kel.firms": {"id": "Usaha di sini", "en": "Firms sited here"},
    "kel.pm25_mean": {"id": "PM2,5 rata-rata wilayah", "en": "Mean PM2.5 over the area"},
    "kel.pm25_max": {"id": "PM2,5 tertinggi", "en": "Highest PM2.5"},
    "kel.exposure": {"id": "PM2,5 di rumah warga", "en": "PM2.5 at residents' homes"},
    "kel.households_above_standard": {"id": "Rumah tangga di atas baku mutu",
                                      "en": "Households above a standard"},
    "kel.residents_above_standard": {"id": "Warga di atas baku mutu",
                                     "en": "Residents above a standard"},
    "kel.river_bod": {"id": "BOD sungai", "en": "River BOD"},
    "kel.mean_health": {"id": "Indeks kesehatan", "en": "Health index"},
    "kel.complaints": {"id": "Pengaduan", "en": "Complaints"},
    "kelunit.households": {"id": "rumah tangga", "en": "households"},
    "kelunit.residents": {"id": "orang", "en": "persons"},
    "kelunit.employed_residents": {"id": "orang", "en": "persons"},
    "kelunit.unemployed_residents": {"id": "orang", "en": "persons"},
    "kelunit.informal_workers": {"id": "orang", "en": "persons"},
    "kelunit.jobs": {"id": "pekerjaan", "en": "jobs"},
    "kelunit.firms": {"id": "usaha", "en": "firms"},
    "kelunit.pm25_mean": {"id": "µg/m³", "en": "µg/m³"},
    "kelunit.pm25_max": {"id": "µg/m³", "en": "µg/m³"},
    "kelunit.exposure": {"id": "µg/m³", "en": "µg/m³"},
    "kelunit.households_above_standard": {"id": "rumah tangga", "en": "households"},
    "kelunit.residents_above_standard": {"id": "orang", "en": "persons"},
    "kelunit.river_bod": {"id": "mg/L", "en": "mg/L"},
    "kelunit.mean_health": {"id": "0–1", "en": "0–1"},
    "kelunit.complaints": {"id": "per bulan", "en": "per month"},
    "kel.industrial_exposure": {"id": "PM2,5 dari industri di rumah warga",
                                "en": "Industrial PM2.5 at residents' homes"},
    "kel.attributable_deaths": {"id": "Kematian akibat PM2,5", "en": "Deaths from PM2.5"},
    "kel.attributable_deaths_industry": {"id": "Kematian akibat PM2,5 industri",
                                         "en": "Deaths from industrial PM2.5"},
    "kel.dalys": {"id": "DALY akibat PM2,5", "en": "DALYs from PM2.5"},
    "kel.respiratory_admissions": {"id": "Rawat inap pernapasan",
                                   "en": "Respiratory admissions"},
    "kel.diarrhoea_cases": {"id": "Kasus diare (air sungai)",
                            "en": "Diarrhoea cases (river water)"},
    "kel.health_damage_cost": {"id": "Biaya kerugian kesehatan", "en": "Health damage cost"},
    "kelunit.industrial_exposure": {"id": "µg/m³", "en": "µg/m³"},
    "kelunit.attributable_deaths": {"id": "orang per bulan", "en": "persons per month"},
    "kelunit.attributable_deaths_industry": {"id": "orang per bulan",
                                             "en": "persons per month"},
    "kelunit.dalys": {"id": "DALY per bulan", "en": "DALYs per month"},
    "kelunit.respiratory_admissions": {"id": "per bulan", "en": "per month"},
    "kelunit.diarrhoea_cases": {"id": "per bulan", "en": "per month"},
    "kelunit.health_damage_cost": {"id": "Rp miliar per bulan", "en": "Rp billion per month"},
}

# the map's named places (simulation/scenarios/maps/blitar.toml [places]) in Indonesian;
# the map file keeps its English names (the view translates, the model never reads these)
PLACE_NAMES: _T = {
    "place.Commercial core": {"id": "Pusat perdagangan",
                             "en": "Commercial core"},
    "place.Pakunden tofu/tempe cluster": {"id": "Sentra tahu/tempe Pakunden",
                                         "en": "Pakunden tofu/tempe cluster"},
    "place.Cigarette plants, Kel. Blitar": {"id": "Pabrik rokok Kel. Blitar",
                                           "en": "Cigarette plants, Kel. Blitar"},
    "place.Cigarette plant, Pakunden": {"id": "Pabrik rokok Pakunden",
                                       "en": "Cigarette plant, Pakunden"},
    "place.Kendang crafts, Sentul": {"id": "Perajin kendang Sentul",
                                    "en": "Kendang crafts, Sentul"},
    "place.Kendang crafts, Ngadirejo": {"id": "Perajin kendang Ngadirejo",
                                       "en": "Kendang crafts, Ngadirejo"},
    "place.Wood crafts, Kepanjenkidul": {"id": "Kerajinan kayu Kepanjenkidul",
                                        "en": "Wood crafts, Kepanjenkidul"},
    "place.Wood crafts, Sukorejo": {"id": "Kerajinan kayu Sukorejo",
                                   "en": "Wood crafts, Sukorejo"},
}

UNITS: _T = {
    "Rp billion per month, constant 2025 prices (value added of all firms)": {
        "id": "Rp miliar per bulan (harga konstan 2025)",
        "en": "Rp billion per month (constant 2025 prices)"},
    "persons employed in manufacturing": {"id": "orang", "en": "persons"},
    "share of labour force": {"id": "% angkatan kerja", "en": "% of labour force"},
    "tonnes PM2.5 per month from industry": {"id": "ton PM2,5 per bulan dari industri",
                                             "en": "tonnes PM2.5 per month from industry"},
    "tonnes BOD per month (after IPAL)": {"id": "ton BOD per bulan (setelah IPAL)",
                                          "en": "tonnes BOD per month (after IPAL)"},
    "share of manufacturers (real units) using green technology": {
        "id": "% usaha industri", "en": "% of manufacturers"},
    "ug/m3 PM2.5, mean over residents": {"id": "µg/m³, rata-rata warga",
                                         "en": "µg/m³, mean over residents"},
    "mg/L BOD where Kali Lahar leaves the city": {"id": "mg/L, di batas kota",
                                                  "en": "mg/L, at the city boundary"},
    "0-1 index, mean over households": {"id": "indeks 0–1", "en": "index 0–1"},
    "Gini of household income per person": {"id": "indeks Gini 0–1", "en": "Gini index 0–1"},
    "complaints lodged this month": {"id": "pengaduan per bulan", "en": "complaints per month"},
}


@dataclass(frozen=True)
class LeverDisplay:
    """How one lever reads in the page. ``prefix``/``suffix`` wrap the number (id, en);
    ``percent``: the config value is a share or rate shown times 100. ``translates`` is the
    config unit this display renders (checked against the config by a test)."""

    label: tuple[str, str]
    help: tuple[str, str]
    suffix: tuple[str, str]
    translates: str
    prefix: str = ""
    percent: bool = False

    def text(self, part: str, lang: str) -> str:
        pair = getattr(self, part)
        return pair[0] if lang == "id" else pair[1]


LEVER_DISPLAY: dict[str, LeverDisplay] = {
    "emission_charge": LeverDisplay(
        ("Pungutan emisi", "Emission charge"),
        ("Biaya per kg polutan udara dan air yang dibuang usaha. Mendorong teknologi bersih "
         "tetapi menambah biaya produksi.",
         "Charge per kg of air and water pollutant a firm releases. Pushes firms to clean "
         "technology but raises their costs."),
        (" per kg", " per kg"), "Rp per kg emitted", prefix="Rp "),
    "emission_standard": LeverDisplay(
        ("Baku mutu emisi", "Emission standard"),
        ("Batas intensitas emisi dibanding rata-rata sektor dengan teknologi konvensional; "
         "2 = belum mengikat. Usaha di atas batas dapat didenda bila diinspeksi.",
         "Maximum emission intensity relative to the sector's conventional average; 2 = not "
         "binding. Firms above it can be fined when inspected."),
        (" × rata-rata sektor", " × sector average"),
        "max intensity relative to the sector's conventional average"),
    "inspection_rate": LeverDisplay(
        ("Tingkat inspeksi", "Inspection rate"),
        ("Bagian usaha industri yang diperiksa DLH setiap tahun.",
         "Share of manufacturers DLH inspects each year."),
        (" % usaha industri per tahun", " % of manufacturers per year"),
        "share of manufacturers per year", percent=True),
    "fine": LeverDisplay(
        ("Denda", "Fine"),
        ("Denda administratif untuk setiap pelanggaran yang ditemukan saat inspeksi.",
         "Administrative fine for each violation found in an inspection."),
        (" juta per pelanggaran", " million per violation"), "Rp million per violation found",
        prefix="Rp "),
    "green_subsidy_share": LeverDisplay(
        ("Subsidi teknologi hijau", "Green technology subsidy"),
        ("Bagian biaya teknologi bersih yang ditanggung pemerintah kota.",
         "Share of the cost of clean technology paid by the city."),
        (" % biaya", " % of the cost"), "share of green-tech cost", percent=True),
    "workshop_slots_per_year": LeverDisplay(
        ("Pembinaan IKM", "IKM coaching"),
        ("Jumlah IKM yang dibina setiap tahun tentang produksi bersih.",
         "Number of small firms (IKM) coached on cleaner production each year."),
        (" IKM per tahun", " IKM per year"), "IKM firms per year"),
    "workshop_awareness_gain": LeverDisplay(
        ("Dampak pembinaan", "Coaching effect"),
        ("Seberapa jauh satu pembinaan menutup kesenjangan kepedulian lingkungan usaha.",
         "How much of the gap in a firm's environmental awareness one coaching closes."),
        (" % kesenjangan tertutup", " % of the gap closed"), "share of gap to 1 closed",
        percent=True),
    "skills_training_seats_per_year": LeverDisplay(
        ("Peserta pelatihan kerja", "Vocational trainees"),
        ("Jumlah pencari kerja yang mengikuti pelatihan keterampilan (BLK) per tahun.",
         "Number of job seekers given vocational training (BLK) each year."),
        (" orang per tahun", " persons per year"), "persons per year"),
    "training_skill_gain": LeverDisplay(
        ("Dampak pelatihan", "Training effect"),
        ("Kenaikan keterampilan (dan produktivitas) peserta pelatihan.",
         "Skill (and productivity) gain of a trainee."),
        (" % keterampilan", " % skill"), "relative skill gain", percent=True),
    "zoning_buffer_cells": LeverDisplay(
        ("Zona penyangga industri", "Industrial buffer zone"),
        ("Usaha industri baru hanya diizinkan di lahan industri yang berjarak sekian sel "
         "(1 sel ≈ 57 m) dari permukiman (0 = di mana saja).",
         "New manufacturers are permitted only on industrial land at least this many cells "
         "(1 cell ≈ 57 m) from homes (0 = anywhere)."),
        (" sel dari permukiman", " cells from homes"), "cells from residential"),
    "ipal_pakunden_year": LeverDisplay(
        ("IPAL komunal Pakunden", "Shared IPAL at Pakunden"),
        ("Tahun instalasi pengolahan air limbah bersama untuk perajin tahu mulai beroperasi "
         "(tidak ada = tidak dibangun).",
         "Year the shared wastewater treatment plant for tofu makers opens (none = not "
         "built)."),
        ("", ""), "year (0 = never)"),
    "ipal_removal_share": LeverDisplay(
        ("Efisiensi IPAL", "IPAL efficiency"),
        ("Bagian beban BOD limbah tahu yang disisihkan IPAL.",
         "Share of the tofu wastewater BOD removed by the IPAL."),
        (" % BOD tersisihkan", " % of BOD removed"), "share of BOD removed", percent=True),
    "dialogue": LeverDisplay(
        ("Forum dialog", "Dialogue forum"),
        ("Forum enam bulanan warga, usaha dan pemerintah yang menyesuaikan kebijakan menurut "
         "pengaduan dan pengangguran.",
         "A six-monthly forum of residents, firms and government that adjusts policy to "
         "complaints and unemployment."),
        ("", ""), "off/on"),
    "research_partnership": LeverDisplay(
        ("Kemitraan riset", "Research partnership"),
        ("Kerja sama dengan perguruan tinggi: perkiraan emisi yang lebih baik membuat "
         "inspeksi DLH tepat sasaran pada pencemar terberat.",
         "Partnership with universities: better emission estimates let DLH target "
         "inspections at the worst polluters."),
        ("", ""), "bool"),
    "international_partnership": LeverDisplay(
        ("Kemitraan internasional", "International partnership"),
        ("Alih teknologi yang menurunkan biaya teknologi bersih lebih cepat.",
         "Technology transfer that lowers the cost of clean technology faster."),
        ("", ""), "bool"),
    "umk_growth_per_year": LeverDisplay(
        ("Kenaikan UMK tetap", "Fixed UMK growth"),
        ("Kenaikan upah minimum kota per tahun setelah 2026, bila aturan UMK = kenaikan "
         "tetap.", "Yearly growth of the city minimum wage after 2026, when the UMK rule is "
         "a fixed rise."),
        (" % per tahun", " % per year"), "1/year (nominal) after 2026, when umk_rule = fixed",
        percent=True),
    "umk_rule": LeverDisplay(
        ("Aturan UMK", "UMK rule"),
        ("Rumus nasional (inflasi + alfa × pertumbuhan ekonomi) atau kenaikan tetap per "
         "tahun.", "The national formula (inflation + alpha × growth) or a fixed yearly "
         "rise."),
        ("", ""), "formula/fixed"),
    "umk_alpha": LeverDisplay(
        ("Alfa rumus UMK", "UMK formula alpha"),
        ("Bobot pertumbuhan ekonomi dalam rumus UMK (PP 49/2025: 0,5-0,9).",
         "Weight of economic growth in the UMK formula (PP 49/2025: 0.5-0.9)."),
        ("", ""), "alpha of the UMK formula"),
    "permit_assistance_per_year": LeverDisplay(
        ("Bantuan pendaftaran usaha", "Business registration help"),
        ("Usaha rumahan (misalnya perajin tahu) yang dibantu mengurus NIB setiap tahun; "
         "yang mampu membayar UMK menjadi usaha formal.",
         "Household enterprises (e.g. tofu makers) helped to register each year; those "
         "that can pay the UMK become formal firms."),
        (" usaha per tahun", " enterprises per year"),
        "household enterprises helped to register per year"),
    "charge_revenue_use": LeverDisplay(
        ("Penggunaan pungutan dan denda", "Use of charge and fine revenue"),
        ("Ke mana uang pungutan emisi dan denda dibelanjakan.",
         "What emission charges and fines pay for."),
        ("", ""), "general/green_subsidy/training"),
    "big_plant_year": LeverDisplay(
        ("Pabrik besar baru", "New large plant"),
        ("Tahun sebuah pabrik rokok besar (sekitar 3.000 pekerja) dibuka di Kelurahan "
         "Blitar (tidak ada = tidak dibuka).",
         "Year a large cigarette plant (about 3,000 jobs) opens in Kelurahan Blitar (none = "
         "not opened)."),
        ("", ""), "year (0 = none)"),
}

CHOICES: _T = {
    "lever.umk_rule.formula": {"id": "rumus nasional", "en": "national formula"},
    "lever.umk_rule.fixed": {"id": "kenaikan tetap", "en": "fixed rise"},
    "lever.charge_revenue_use.general": {"id": "anggaran umum kota", "en": "general budget"},
    "lever.charge_revenue_use.green_subsidy": {"id": "subsidi teknologi hijau",
                                               "en": "green-technology subsidy"},
    "lever.charge_revenue_use.training": {"id": "pelatihan kerja", "en": "skills training"},
}

TEXT: _T = {**UI, **AGENCIES, **INDICATOR_NAMES, **KELURAHAN_NAMES, **PLACE_NAMES, **CHOICES,
            **{f"unit:{k}": v for k, v in UNITS.items()},
            **{f"lever.{n}.label": {"id": d.label[0], "en": d.label[1]}
               for n, d in LEVER_DISPLAY.items()}}


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then to the key)."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in TEXT


def place_name(name: str, lang: str = DEFAULT_LANG) -> str:
    """A map place's name in ``lang`` (the map's own name where no translation is kept)."""
    return t(f"place.{name}", lang) if has(f"place.{name}") else name


def number(x: float | None, digits: int = 1, lang: str = DEFAULT_LANG,
           sign: bool = False) -> str:
    """A number with the language's separators (id: 1.234,5; en: 1,234.5) and a true
    minus sign; ``sign`` adds "+" to positive numbers."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    s = f"{abs(x):,.{digits}f}"
    if lang == "id":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    if round(abs(x), digits) == 0:
        return s
    if x < 0:
        return MINUS + s
    return "+" + s if sign else s


def unit_text(registry_unit: str, lang: str) -> str:
    """Display form of an indicator unit from the registry (the registry's own text if it
    has no translation)."""
    return t(f"unit:{registry_unit}", lang) if has(f"unit:{registry_unit}") else registry_unit


def is_share(registry_unit: str) -> bool:
    """Indicators measured as a share are shown in percent, changes in points."""
    return registry_unit.startswith("share")
