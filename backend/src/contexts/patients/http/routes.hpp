// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/patients/app/patient_service.hpp"
#include "platform/http/router.hpp"

namespace medisecure::patients {

void add_routes(http::Router& router, PatientService& service);

}  // namespace medisecure::patients
