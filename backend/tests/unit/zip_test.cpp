// SPDX-License-Identifier: Apache-2.0
// The archive is checked by a real unzip (Python's zipfile, as any desktop would open it).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/time.hpp"
#include "platform/archive/zip_writer.hpp"
#include "test_support.hpp"

using namespace medisecure;

TEST(Zip, ArchivesOpenWithStandardTools) {
    testkit::TempDir dir;
    auto path = dir.file("export.zip");
    {
        std::ofstream out(path, std::ios::binary);
        archive::ZipWriter zip([&](const char* p, std::size_t n) { out.write(p, static_cast<std::streamsize>(n)); },
                               *parse_instant("2026-11-24T10:30:00Z"));
        zip.add("patient.json", R"({"first_name":"Hélène"})");
        zip.add("documents/résultat-analyse.txt", std::string(200000, 'a'));
        zip.add("empty.txt", "");
        EXPECT_THROW(zip.add("../evil", "x"), std::invalid_argument);
        zip.finish();
    }
    std::string cmd = "/usr/bin/python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                      "print(';'.join(f'{i.filename}={i.file_size}' for i in z.infolist())); "
                      "print(z.read('patient.json').decode())\" " + path;
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_TRUE(p);
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    EXPECT_EQ(pclose(p), 0) << out;
    EXPECT_NE(out.find("patient.json=25;documents/résultat-analyse.txt=200000;empty.txt=0"), std::string::npos) << out;
    EXPECT_NE(out.find("Hélène"), std::string::npos);
}
