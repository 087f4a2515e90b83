// What the demo tenant contains, as plain data: the business's people, price book and customers,
// and the plan of one working day. demo_seed.cc and demo_day.cc turn it into API calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobledger/job/v1/job.pb.h"

namespace jobledger::cli::demo {

// Each record has a `key`: the stable part of its commands' idempotency keys, so that a second
// run finds what the first one made.

struct Zone {
  std::string key;
  std::string name;
  std::vector<std::string> postal_codes;
};

struct SkillLevel {
  std::string name;
  int level = 1;
};

struct Technician {
  std::string id;  // the technician's user id: the subject of their tokens
  std::string name;
  std::string phone;
  std::string email;
  std::vector<SkillLevel> skills;
  std::string zone_key;
};

struct Crew {
  std::string key;
  std::string name;
  std::vector<std::string> member_ids;
};

struct PriceItem {
  std::string code;
  std::string name;
  std::string description;
  job::v1::LineItemKind kind = job::v1::LINE_ITEM_KIND_SERVICE;
  int64_t unit_cents = 0;
  int64_t cost_cents = 0;
  std::string tax_category;  // empty: not taxed
};

struct Contact {
  std::string name;
  std::string phone;  // fictional 555-01xx numbers and example.* addresses: nobody real is texted
  std::string email;
  bool accepts_sms = true;
  bool accepts_email = true;
};

struct Property {
  std::string name;
  std::string line1;
  std::string city;
  std::string postal_code;
  std::string access_notes;
};

struct Customer {
  std::string key;
  std::string name;
  std::vector<std::string> tags;
  std::vector<Contact> contacts;
  std::vector<Property> properties;  // the first is the primary
  std::string notes;
};

// Where a job of the day has got to by the middle of the day.
enum class Outcome {
  kOpen,        // released, nobody booked
  kHotList,     // a visit today with nobody assigned (the job becomes Scheduled)
  kScheduled,   // a visit later today
  kEnRoute,     // the technician is driving there
  kInProgress,  // on site and clocked in
  kOnHold,      // visited, then paused with a reason
  kCompleted,   // done and awaiting billing
  kInvoiced,    // done, invoice issued, not paid yet
  kPaid,        // done, invoiced and paid
  kCancelled,
  kDeferred,
  kUnderway,  // a project's parent job, moved to In progress by hand
};

struct Line {
  std::string code;  // a PriceItem's
  int64_t quantity_milli = 1000;
};

struct ChecklistItem {
  std::string text;
  bool required = true;
};

// A visit at local minutes after midnight of today.
struct Visit {
  int window_start = 0;
  int window_end = 0;
  int duration_minutes = 0;
  std::vector<std::string> technician_ids;
  std::vector<std::string> crew_keys;
};

struct Job {
  std::string key;
  std::string customer_key;
  std::string property;  // the property's name; empty: the primary
  std::string title;
  std::string description;
  std::string job_type;
  job::v1::JobPriority priority = job::v1::JOB_PRIORITY_NORMAL;
  std::vector<std::string> skills;
  int64_t estimated_minutes = 0;
  std::vector<Line> lines;
  std::vector<ChecklistItem> checklist;
  std::string internal_note;  // added with the job
  std::string public_note;    // added on site, shown to the customer
  bool has_visit = false;
  Visit visit;
  Outcome outcome = Outcome::kOpen;
  std::string reason;      // on hold, cancelled, deferred
  int worked_minutes = 0;  // on site per technician, for visited jobs
  std::string parent_key;  // a subjob's parent (listed earlier)
  int progress_share_percent = 0;
  std::string project_id;
  int64_t contract_cents = 0;
};

// A service request still waiting for a dispatcher.
struct Request {
  std::string key;
  std::string summary;
  std::string details;
  Contact requester;
  Property address;
  std::string preferred_window;
};

const std::vector<Zone>& Zones();
const std::vector<Technician>& Technicians();
const std::vector<Crew>& Crews();
const std::vector<PriceItem>& PriceBook();
const std::vector<Customer>& Customers();
// In the order they are made: parents before their subjobs.
const std::vector<Job>& DayOfJobs();
const std::vector<Request>& Requests();

// The tag every demo customer carries: how a later run tells the demo's data from a tenant's own.
inline constexpr char kDemoTag[] = "demo";
// Where the demo business is.
inline constexpr char kRegion[] = "TX";
inline constexpr char kCountry[] = "US";
inline constexpr char kCurrency[] = "USD";

}  // namespace jobledger::cli::demo
