#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "io/folder_walk.h"
#include "io/manifest_reader.h"
#include "fuzz/fuzz_corpus.h"
#include "support/test_support.h"

using namespace ser;

TEST_SUITE("io.batch_inputs") {

namespace {

std::vector<ListedPath> read_all(const std::string& text) {
    std::istringstream in(text);
    ManifestReader reader(in, "list.csv");
    std::vector<ListedPath> out;
    while (auto e = reader.next()) out.push_back(*e);
    return out;
}

std::vector<std::string> paths(const std::vector<ListedPath>& entries) {
    std::vector<std::string> p;
    for (const auto& e : entries) p.push_back(e.path);
    return p;
}

}  // namespace

TEST_CASE("a plain manifest: a path per line; blank lines, comments and CR dropped; commas and quotes kept") {
    const auto e = read_all("# clips\r\na.wav\r\n\r\nsub/b, \"c\".flac\n/abs/d.ogg");
    CHECK(paths(e) == std::vector<std::string>{"a.wav", "sub/b, \"c\".flac", "/abs/d.ogg"});
    CHECK(read_all("").empty());
    CHECK(read_all("# only a comment\n").empty());
}

TEST_CASE("a CSV manifest: the path column by its header, quoted fields across commas and lines") {
    const auto e = read_all("speaker,path,note\r\ns1,a.wav,x\ns2,\"b, c.wav\",\"two\nlines\"\ns3,,empty\ns4,d.wav\n");
    REQUIRE(e.size() == 4);
    CHECK(e[0].path == "a.wav");
    CHECK(e[1].path == "b, c.wav");
    CHECK(e[1].error.empty());
    CHECK(e[2].error.find("list.csv has no path on line") != std::string::npos);
    CHECK(e[3].path == "d.wav");
    CHECK_THROWS_WITH_AS(read_all("path\n\"open quote\n"), doctest::Contains("list.csv"), std::runtime_error);
}

TEST_CASE("a spreadsheet's CSV: the byte-order mark dropped; other columns carried with each entry's line") {
    std::istringstream in("\xEF\xBB\xBFlabel,path,note\r\nhappy,a.wav,x\r\n\"sad\",\"b, c.wav\",\"two\nlines\"\r\n,d.wav\r\n");
    ManifestReader reader(in, "sheet.csv", {"label", "speaker"});
    auto e = reader.next();
    REQUIRE(e);
    CHECK(reader.is_csv());
    CHECK(reader.has_column(0));
    CHECK_FALSE(reader.has_column(1));
    CHECK(e->path == "a.wav");
    CHECK(reader.values() == std::vector<std::string>{"happy", ""});
    CHECK(reader.line() == 2);
    e = reader.next();
    REQUIRE(e);
    CHECK(e->path == "b, c.wav");
    CHECK(reader.values()[0] == "sad");
    CHECK(reader.line() == 4);
    e = reader.next();
    REQUIRE(e);
    CHECK(e->path == "d.wav");
    CHECK(reader.values()[0].empty());
    CHECK_FALSE(reader.next());

    std::istringstream plain("\xEF\xBB\xBF" "a.wav\nb.wav\n");
    ManifestReader list(plain, "list.txt");
    CHECK(list.next()->path == "a.wav");
    CHECK_FALSE(list.is_csv());
    CHECK(list.next()->path == "b.wav");
}

TEST_CASE("a folder is walked below every level for the chosen extensions, any case, links to folders left alone") {
    const auto dir = std::filesystem::temp_directory_path() / "ser-folder-walk-test";
    std::filesystem::remove_all(dir);
    for (const char* f : {"a.wav", "b.FLAC", "c.txt", "x/d.wav", "x/y/z/e.Wav", "x/y/f.mp3"}) {
        std::filesystem::create_directories((dir / f).parent_path());
        std::ofstream(dir / f) << "x";
    }
    std::filesystem::create_directory_symlink(dir / "x", dir / "loop");
    std::set<std::string> found;
    FolderWalk walk(dir, {"wav", "flac"});
    while (auto e = walk.next()) {
        CHECK(e->error.empty());
        found.insert(std::filesystem::path(e->path).lexically_relative(dir).string());
    }
    CHECK(found == std::set<std::string>{"a.wav", "b.FLAC", "x/d.wav", "x/y/z/e.Wav"});
    FolderWalk missing(dir / "nowhere", {"wav"});
    const auto e = missing.next();
    REQUIRE(e);
    CHECK(e->error.find("nowhere") != std::string::npos);
    CHECK_FALSE(missing.next());
    std::filesystem::remove_all(dir);
}

TEST_CASE("a link with an audio name whose file is gone is an entry with an error, not a silent gap") {
    const auto dir = std::filesystem::temp_directory_path() / "ser-folder-walk-links";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "kept.wav") << "x";
    std::filesystem::create_symlink(dir / "kept.wav", dir / "alias.wav");
    std::filesystem::create_symlink(dir / "deleted.wav", dir / "broken.wav");
    std::filesystem::create_symlink(dir / "deleted.txt", dir / "broken.txt");
    std::map<std::string, std::string> found;
    FolderWalk walk(dir, {"wav"});
    while (auto e = walk.next()) found[std::filesystem::path(e->path).filename().string()] = e->error;
    REQUIRE(found.size() == 3);
    CHECK(found["kept.wav"].empty());
    CHECK(found["alias.wav"].empty());
    CHECK(found["broken.wav"].find("deleted.wav, which does not exist") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the libFuzzer corpus (seeds and past findings) reads to the end or fails naming the manifest") {
    int read = 0;
    for (const auto& file : test::fuzz_corpus("manifest")) {
        CAPTURE(file.string());
        std::istringstream in(test::read_corpus_file(file));
        ManifestReader reader(in, file.filename().string(), {"label"});
        try {
            while (const auto e = reader.next()) CHECK_FALSE(e->path.empty());
            ++read;
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()).find(file.filename().string()) != std::string::npos);
        }
    }
    CHECK(read >= 3);  // the seeds: a plain list, a CSV with quotes, a spreadsheet's CSV
}

}
