// SPDX-License-Identifier: Apache-2.0
// Request and response schemas of the records API: they validate requests, document the API
// (/openapi.json) and, in the API tests, check every response.
#pragma once

#include "platform/json/schema.hpp"

namespace medisecure::records::schemas {

using schema::Schema;

const Schema& uuid();
const Schema& encounter_input();
const Schema& encounter_patch();
const Schema& amendment_input();
const Schema& prescription_status_input();
const Schema& vitals_input();
const Schema& allergy_input();
const Schema& allergy_patch();
const Schema& condition_input();
const Schema& condition_patch();

const Schema& encounter();
const Schema& encounter_item();
const Schema& encounter_page();
const Schema& amendment();
const Schema& prescription();
const Schema& prescription_list();
const Schema& vitals();
const Schema& vitals_list();
const Schema& allergy();
const Schema& allergy_list();
const Schema& condition();
const Schema& condition_list();
const Schema& code_list();
const Schema& summary();

}  // namespace medisecure::records::schemas
