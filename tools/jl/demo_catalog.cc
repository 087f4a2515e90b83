// The demo tenant's data: an Austin plumbing, HVAC and electrical business on a weekday.
#include "demo_catalog.h"

namespace jobledger::cli::demo {
namespace {

using job::v1::JobPriority;
using job::v1::LineItemKind;

constexpr LineItemKind kService = job::v1::LINE_ITEM_KIND_SERVICE;
constexpr LineItemKind kMaterial = job::v1::LINE_ITEM_KIND_MATERIAL;

// Local minutes after midnight.
constexpr int At(int hour, int minute = 0) { return hour * 60 + minute; }

Job NewJob(std::string key, std::string customer_key, std::string title, JobPriority priority,
           std::string job_type, std::vector<std::string> skills, int64_t estimated_minutes) {
  Job job;
  job.key = std::move(key);
  job.customer_key = std::move(customer_key);
  job.title = std::move(title);
  job.priority = priority;
  job.job_type = std::move(job_type);
  job.skills = std::move(skills);
  job.estimated_minutes = estimated_minutes;
  return job;
}

Visit VisitBy(int window_start, int window_end, int duration_minutes,
              std::vector<std::string> technician_ids, std::vector<std::string> crew_keys = {}) {
  return Visit{window_start, window_end, duration_minutes, std::move(technician_ids),
               std::move(crew_keys)};
}

// The project: one parent job for the contract, one subjob per building.
void AddProject(std::vector<Job>& jobs) {
  Job parent = NewJob("sunset-retrofit", "sunset", "HVAC retrofit, Buildings A and B",
                      job::v1::JOB_PRIORITY_NORMAL, "installation", {"hvac"}, 0);
  parent.description =
      "Replace both buildings' rooftop units and thermostats. Billed 50/50 as each building is "
      "finished.";
  parent.project_id = "PRJ-SUNSET-HVAC";
  parent.contract_cents = 4'800'000;
  parent.outcome = Outcome::kUnderway;
  jobs.push_back(std::move(parent));

  Job building_a = NewJob("sunset-rtu-a", "sunset", "Building A: rooftop unit replacement",
                          job::v1::JOB_PRIORITY_NORMAL, "installation", {"hvac"}, 360);
  building_a.property = "Building A";
  building_a.parent_key = "sunset-retrofit";
  building_a.progress_share_percent = 50;
  building_a.lines = {{"MAT-RTU-5T", 1000}, {"SVC-RTU", 1000}};
  building_a.internal_note = "Crane arrives 8:30; the street permit is on the truck's dashboard.";
  building_a.has_visit = true;
  building_a.visit = VisitBy(At(8), At(9), 360, {}, {"crew-hvac"});
  building_a.outcome = Outcome::kInProgress;
  jobs.push_back(std::move(building_a));

  Job building_b = NewJob("sunset-rtu-b", "sunset", "Building B: rooftop unit replacement",
                          job::v1::JOB_PRIORITY_NORMAL, "installation", {"hvac"}, 360);
  building_b.property = "Building B";
  building_b.parent_key = "sunset-retrofit";
  building_b.progress_share_percent = 50;
  building_b.lines = {{"MAT-RTU-5T", 1000}, {"SVC-RTU", 1000}};
  building_b.outcome = Outcome::kOpen;
  jobs.push_back(std::move(building_b));
}

// Maria's and Lena's plumbing day.
void AddPlumbing(std::vector<Job>& jobs) {
  Job heater =
      NewJob("water-heater-harper", "harper", "Replace 50-gallon gas water heater",
             job::v1::JOB_PRIORITY_HIGH, "replacement", {"plumbing", "water-heaters"}, 150);
  heater.description = "Tank leaking at the base; no hot water since last night.";
  heater.lines = {{"SVC-WH-INSTALL", 1000}, {"MAT-WH-50G", 1000}, {"MAT-PVC-2IN", 6000}};
  heater.public_note =
      "Replaced the 12-year-old tank with a new 50-gallon unit, set to 120F. Old tank hauled away.";
  heater.has_visit = true;
  heater.visit = VisitBy(At(8), At(10), 150, {"tech-maria"});
  heater.outcome = Outcome::kPaid;
  heater.worked_minutes = 150;
  jobs.push_back(std::move(heater));

  Job leak = NewJob("sink-leak-nguyen", "nguyen", "Kitchen sink leaking under the cabinet",
                    job::v1::JOB_PRIORITY_NORMAL, "repair", {"plumbing"}, 90);
  leak.lines = {{"SVC-DIAG", 1000}, {"MAT-PTRAP", 1000}};
  leak.has_visit = true;
  leak.visit = VisitBy(At(11), At(12), 90, {"tech-maria"});
  leak.outcome = Outcome::kInProgress;
  jobs.push_back(std::move(leak));

  Job backflow = NewJob("backflow-church", "church", "Annual backflow test and certification",
                        job::v1::JOB_PRIORITY_NORMAL, "inspection", {"backflow-cert"}, 60);
  backflow.lines = {{"SVC-BACKFLOW", 1000}};
  backflow.has_visit = true;
  backflow.visit = VisitBy(At(14), At(16), 60, {"tech-maria"});
  backflow.outcome = Outcome::kScheduled;
  jobs.push_back(std::move(backflow));

  Job drain = NewJob("main-drain-church", "church", "Main line backing up in the fellowship hall",
                     job::v1::JOB_PRIORITY_HIGH, "repair", {"drain-cleaning"}, 90);
  drain.lines = {{"SVC-DRAIN", 1000}};
  drain.public_note =
      "Cleared root intrusion at about 40 ft. We recommend a camera inspection on the next visit.";
  drain.has_visit = true;
  drain.visit = VisitBy(At(8), At(9), 90, {"tech-lena"});
  drain.outcome = Outcome::kInvoiced;
  drain.worked_minutes = 85;
  jobs.push_back(std::move(drain));

  Job slow_drain = NewJob("slow-drain-castillo", "castillo", "Slow drain in the master bathroom",
                          job::v1::JOB_PRIORITY_NORMAL, "repair", {"drain-cleaning"}, 60);
  slow_drain.lines = {{"SVC-DIAG", 1000}};
  slow_drain.has_visit = true;
  slow_drain.visit = VisitBy(At(10, 30), At(12), 60, {"tech-lena"});
  slow_drain.outcome = Outcome::kInProgress;
  jobs.push_back(std::move(slow_drain));

  Job unit_leak = NewJob("unit-b12-leak", "sunset", "Water leak under the kitchen sink, unit B-12",
                         job::v1::JOB_PRIORITY_NORMAL, "repair", {"plumbing"}, 60);
  unit_leak.property = "Building B";
  unit_leak.lines = {{"SVC-DIAG", 1000}};
  unit_leak.has_visit = true;
  unit_leak.visit = VisitBy(At(14), At(16), 60, {"tech-lena"});
  unit_leak.outcome = Outcome::kScheduled;
  jobs.push_back(std::move(unit_leak));

  Job repipe = NewJob("repipe-quote-miller", "miller", "Quote: whole-house repipe",
                      job::v1::JOB_PRIORITY_NORMAL, "estimate", {"plumbing"}, 60);
  repipe.internal_note = "Customer wants options: PEX and copper.";
  repipe.outcome = Outcome::kOpen;
  jobs.push_back(std::move(repipe));

  Job supply_lines =
      NewJob("supply-lines-sunset", "sunset", "Replace galvanized supply lines, Building B",
             job::v1::JOB_PRIORITY_LOW, "replacement", {"plumbing"}, 960);
  supply_lines.property = "Building B";
  supply_lines.outcome = Outcome::kDeferred;
  supply_lines.reason = "Waiting for the owners' board to approve the estimate (meets next month)";
  jobs.push_back(std::move(supply_lines));

  Job dishwasher = NewJob("dishwasher-castillo", "castillo", "Dishwasher hookup",
                          job::v1::JOB_PRIORITY_LOW, "installation", {"plumbing"}, 60);
  dishwasher.outcome = Outcome::kCancelled;
  dishwasher.reason = "Customer cancelled: the appliance store will install it";
  jobs.push_back(std::move(dishwasher));
}

// Sam's and Rosa's electrical day.
void AddElectrical(std::vector<Job>& jobs) {
  Job gfci = NewJob("gfci-bakery", "bakery", "Replace GFCI outlets at the prep sinks",
                    job::v1::JOB_PRIORITY_NORMAL, "repair", {"electrical"}, 90);
  gfci.lines = {{"SVC-GFCI", 3000}, {"MAT-GFCI", 3000}};
  gfci.checklist = {{"Turn off the kitchen circuits at the panel", true},
                    {"Test every GFCI with a plug-in tester", true},
                    {"Label the panel", false}};
  gfci.public_note = "Replaced three GFCI outlets by the prep sinks; each trips and resets.";
  gfci.has_visit = true;
  gfci.visit = VisitBy(At(7, 30), At(9), 90, {"tech-sam"});
  gfci.outcome = Outcome::kCompleted;
  gfci.worked_minutes = 80;
  jobs.push_back(std::move(gfci));

  Job panel = NewJob("panel-upgrade-dental", "dental", "Panel upgrade to 200A",
                     job::v1::JOB_PRIORITY_NORMAL, "upgrade", {"electrical"}, 120);
  panel.lines = {{"SVC-ELEC-HOUR", 1000}, {"MAT-BREAKER-20A", 4000}};
  panel.internal_note = "Power work only after 5 pm or with 48 hours' notice to the clinic.";
  panel.has_visit = true;
  panel.visit = VisitBy(At(10), At(12), 120, {"tech-sam"});
  panel.outcome = Outcome::kOnHold;
  panel.reason = "Waiting for Austin Energy to schedule the meter disconnect";
  panel.worked_minutes = 45;
  jobs.push_back(std::move(panel));

  Job lights = NewJob("parking-lights-church", "church", "Parking lot lights out on the east side",
                      job::v1::JOB_PRIORITY_NORMAL, "repair", {"electrical"}, 90);
  lights.lines = {{"SVC-ELEC-HOUR", 1500}};
  lights.has_visit = true;
  lights.visit = VisitBy(At(13), At(15), 90, {"tech-sam"});
  lights.outcome = Outcome::kEnRoute;
  jobs.push_back(std::move(lights));

  Job charger = NewJob("ev-charger-nguyen", "nguyen", "Install a 50A circuit for an EV charger",
                       job::v1::JOB_PRIORITY_NORMAL, "installation", {"electrical"}, 120);
  charger.lines = {{"SVC-ELEC-HOUR", 2000}};
  charger.has_visit = true;
  charger.visit = VisitBy(At(13), At(15), 120, {"tech-rosa"});
  charger.outcome = Outcome::kScheduled;
  jobs.push_back(std::move(charger));

  Job generator = NewJob("generator-miller", "miller", "Standby generator annual maintenance",
                         job::v1::JOB_PRIORITY_NORMAL, "maintenance", {"generators"}, 90);
  generator.lines = {{"SVC-GEN-MAINT", 1000}};
  generator.checklist = {{"Check oil and coolant levels", true},
                         {"Replace the air filter", true},
                         {"Run a 30-minute load test", true},
                         {"Note the hour meter reading", false}};
  generator.has_visit = true;
  generator.visit = VisitBy(At(15, 30), At(17), 90, {"tech-rosa"});
  generator.outcome = Outcome::kScheduled;
  jobs.push_back(std::move(generator));

  Job fan = NewJob("ceiling-fan-nguyen", "nguyen", "Install a ceiling fan in the living room",
                   job::v1::JOB_PRIORITY_LOW, "installation", {"electrical"}, 90);
  fan.lines = {{"SVC-ELEC-HOUR", 1500}};
  fan.outcome = Outcome::kOpen;
  jobs.push_back(std::move(fan));
}

// Jay's afternoon and the calls nobody has taken yet.
void AddHvac(std::vector<Job>& jobs) {
  Job cooling = NewJob("ac-castillo", "castillo", "AC running but not cooling",
                       job::v1::JOB_PRIORITY_HIGH, "repair", {"hvac"}, 90);
  cooling.lines = {{"SVC-DIAG", 1000}};
  cooling.has_visit = true;
  cooling.visit = VisitBy(At(15), At(17), 90, {"tech-jay"});
  cooling.outcome = Outcome::kScheduled;
  jobs.push_back(std::move(cooling));

  Job cooler = NewJob("walk-in-cooler-bakery", "bakery", "Walk-in cooler not holding temperature",
                      job::v1::JOB_PRIORITY_EMERGENCY, "repair", {"refrigeration"}, 120);
  cooler.description = "Reads 48F this morning; product moved to the reach-ins.";
  cooler.has_visit = true;
  cooler.visit = VisitBy(At(12), At(14), 120, {});
  cooler.outcome = Outcome::kHotList;
  jobs.push_back(std::move(cooler));

  Job furnace = NewJob("furnace-smell-harper", "harper", "Burning smell when the furnace starts",
                       job::v1::JOB_PRIORITY_HIGH, "repair", {"hvac"}, 60);
  furnace.has_visit = true;
  furnace.visit = VisitBy(At(13), At(17), 60, {});
  furnace.outcome = Outcome::kHotList;
  jobs.push_back(std::move(furnace));
}

}  // namespace

const std::vector<Zone>& Zones() {
  static const auto* zones = new std::vector<Zone>{
      {"central", "Central Austin", {"78701", "78702", "78703", "78704", "78705"}},
      {"north", "North Austin", {"78727", "78728", "78729", "78758", "78759"}},
  };
  return *zones;
}

const std::vector<Technician>& Technicians() {
  static const auto* technicians = new std::vector<Technician>{
      {"tech-maria",
       "Maria Gonzalez",
       "+15125550111",
       "maria.gonzalez@example.com",
       {{"backflow-cert", 3}, {"plumbing", 5}, {"water-heaters", 4}},
       "central"},
      {"tech-devon",
       "Devon Price",
       "+15125550112",
       "devon.price@example.com",
       {{"hvac", 5}, {"refrigeration", 4}},
       "north"},
      {"tech-jay",
       "Jay Patel",
       "+15125550113",
       "jay.patel@example.com",
       {{"electrical", 2}, {"hvac", 3}},
       "north"},
      {"tech-sam",
       "Sam Okafor",
       "+15125550114",
       "sam.okafor@example.com",
       {{"electrical", 5}, {"generators", 3}},
       "central"},
      {"tech-lena",
       "Lena Kowalski",
       "+15125550115",
       "lena.kowalski@example.com",
       {{"drain-cleaning", 4}, {"plumbing", 3}},
       "central"},
      {"tech-rosa",
       "Rosa Alvarez",
       "+15125550116",
       "rosa.alvarez@example.com",
       {{"electrical", 4}, {"generators", 4}, {"hvac", 2}},
       "north"},
  };
  return *technicians;
}

const std::vector<Crew>& Crews() {
  static const auto* crews = new std::vector<Crew>{
      {"crew-hvac", "HVAC Install Crew", {"tech-devon", "tech-jay"}},
      {"crew-plumbing", "Plumbing Crew", {"tech-lena", "tech-maria"}},
  };
  return *crews;
}

const std::vector<PriceItem>& PriceBook() {
  static const auto* items = new std::vector<PriceItem>{
      {"SVC-DIAG", "Diagnostic visit", "Trip and first half hour on site", kService, 8900, 0, ""},
      {"SVC-DRAIN", "Main line drain cleaning", "Cable up to 100 ft", kService, 24900, 0, ""},
      {"SVC-WH-INSTALL", "Water heater installation", "Remove old tank, install, haul away",
       kService, 65000, 0, ""},
      {"SVC-AC-TUNE", "AC tune-up", "Seasonal 21-point check", kService, 12900, 0, ""},
      {"SVC-HVAC-HOUR", "HVAC labor", "Per hour", kService, 14500, 0, ""},
      {"SVC-ELEC-HOUR", "Electrical labor", "Per hour", kService, 13500, 0, ""},
      {"SVC-GFCI", "GFCI outlet installation", "Per outlet", kService, 9500, 0, ""},
      {"SVC-BACKFLOW", "Backflow test and certification", "Filed with the city", kService, 12000, 0,
       ""},
      {"SVC-GEN-MAINT", "Generator annual maintenance", "Oil, filters, load test", kService, 22900,
       0, ""},
      {"SVC-RTU", "Rooftop unit replacement labor", "Crew, crane coordination, start-up", kService,
       480000, 0, ""},
      {"MAT-WH-50G", "50-gallon gas water heater", "", kMaterial, 115000, 78000, "materials"},
      {"MAT-PVC-2IN", "2 in. PVC pipe", "Per foot", kMaterial, 350, 120, "materials"},
      {"MAT-PTRAP", "P-trap kit, 1-1/2 in.", "", kMaterial, 1400, 500, "materials"},
      {"MAT-GFCI", "GFCI receptacle, 20A", "", kMaterial, 2400, 1100, "materials"},
      {"MAT-BREAKER-20A", "20A single-pole breaker", "", kMaterial, 1900, 800, "materials"},
      {"MAT-FILTER", "Furnace filter 16x25x1", "", kMaterial, 1800, 600, "materials"},
      {"MAT-CAP", "Run capacitor 45/5 uF", "", kMaterial, 6500, 1900, "materials"},
      {"MAT-R410A", "R-410A refrigerant", "Per pound", kMaterial, 9500, 3800, "materials"},
      {"MAT-RTU-5T", "5-ton rooftop unit", "", kMaterial, 720000, 510000, "materials"},
  };
  return *items;
}

const std::vector<Customer>& Customers() {
  static const auto* customers = new std::vector<Customer>{
      {"harper",
       "The Harper Family",
       {"maintenance-plan", "residential"},
       {{"Emma Harper", "+15125550101", "emma.harper@example.com", true, true},
        {"James Harper", "+15125550102", "james.harper@example.com", true, false}},
       {{"Home", "1418 Oak Lane", "Austin", "78704",
         "Gate code 4821#. Friendly golden retriever in the back yard."}},
       "Prefers texts to calls."},
      {"bakery",
       "Blue Door Bakery",
       {"commercial"},
       {{"Luis Romero", "+15125550103", "luis@bluedoorbakery.example", true, true}},
       {{"Storefront", "220 E 6th St", "Austin", "78701",
         "Use the alley door. The kitchen closes for cleaning 2-3 pm."}},
       ""},
      {"nguyen",
       "Tran and Linh Nguyen",
       {"residential"},
       {{"Tran Nguyen", "+15125550104", "tran.nguyen@example.net", true, true},
        {"Linh Nguyen", "", "linh.nguyen@example.net", false, true}},
       {{"Home", "9102 Rain Creek Pkwy", "Austin", "78759",
         "Park in the driveway, not on the street (HOA rules)."}},
       ""},
      {"sunset",
       "Sunset Apartments",
       {"commercial", "property-management"},
       {{"Priya Shah", "+15125550105", "priya.shah@sunsetapts.example", true, true},
        {"Maintenance desk", "+15125550106", "", true, false}},
       {{"Building A", "4500 Duval Rd, Building A", "Austin", "78727",
         "Roof access key at the leasing office; lockbox code 0937."},
        {"Building B", "4500 Duval Rd, Building B", "Austin", "78727",
         "Tenants need 24 hours' notice before anyone enters a unit."}},
       "Net 30; send invoices to Priya."},
      {"dental",
       "Okonkwo Family Dental",
       {"commercial"},
       {{"Dr. Ada Okonkwo", "", "ada@okonkwodental.example", false, true},
        {"Front desk", "+15125550107", "frontdesk@okonkwodental.example", true, true}},
       {{"Clinic", "3300 N Lamar Blvd, Suite 110", "Austin", "78705",
         "Open 8-5. Check in at the front desk; no work in patient rooms while patients are in."}},
       ""},
      {"miller",
       "Robert and Carol Miller",
       {"maintenance-plan", "residential", "vip"},
       {{"Carol Miller", "+15125550108", "carol.miller@example.com", true, true}},
       {{"Home", "2207 Windsor Rd", "Austin", "78703",
         "Side gate code 1966. The generator is behind the garage."}},
       "Long-time customer since 2014."},
      {"castillo",
       "Castillo Family",
       {"residential"},
       {{"Marco Castillo", "+15125550109", "marco.castillo@example.org", true, false}},
       {{"Home", "612 Bluebonnet Ln", "Austin", "78702",
         "Doorbell is broken: call or text on arrival."}},
       ""},
      {"church",
       "Riverside Community Church",
       {"commercial", "non-profit"},
       {{"Greg Ames (facilities)", "+15125550110", "facilities@riversidechurch.example", true,
         true}},
       {{"Campus", "1100 Riverside Dr", "Austin", "78704",
         "Facilities office in the back building. Parking lot gate open 7 am to 6 pm."}},
       "Tax-exempt: certificate on file."},
  };
  return *customers;
}

const std::vector<Job>& DayOfJobs() {
  static const auto* jobs = [] {
    auto* all = new std::vector<Job>;
    AddProject(*all);
    AddPlumbing(*all);
    AddElectrical(*all);
    AddHvac(*all);
    return all;
  }();
  return *jobs;
}

const std::vector<Request>& Requests() {
  static const auto* requests = new std::vector<Request>{
      {"spigot-torres",
       "Outdoor spigot dripping",
       "The faucet on the front of the house drips even when closed tight.",
       {"Ana Torres", "+15125550120", "ana.torres@example.com", true, true},
       {"Home", "804 W Mary St", "Austin", "78704", ""},
       "any weekday morning"},
  };
  return *requests;
}

}  // namespace jobledger::cli::demo
