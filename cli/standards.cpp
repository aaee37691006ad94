// `yike standards list` and `yike standards show ID`: the planning standards yike ships.
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "yike/engine/categories.hpp"
#include "yike/engine/standards.hpp"

namespace yike::cli {
namespace {

int run_standards_list() {
    std::cout << engine::describe_standard_list(engine::list_standards());
    return 0;
}

int run_standards_show(const std::string& id) {
    const auto mapping = engine::load_category_mapping();
    const auto standard = engine::load_standard(id, mapping);
    std::cout << engine::describe_standard(standard, mapping);
    return 0;
}

} // namespace

Command add_standards_command(CLI::App& app) {
    auto* standards = app.add_subcommand("standards", "the planning standards yike ships (list, show ID)");
    standards->require_subcommand(1);
    auto* standards_list = standards->add_subcommand("list", "list the shipped standards");
    auto standard_id = std::make_shared<std::string>();
    auto* standards_show = standards->add_subcommand("show", "print a standard's targets (an id from `list`, or a TOML file)");
    standards_show->add_option("id", *standard_id, "standard id or file")->required();
    return {standards, [standards_list, standards_show, standard_id] {
                if (standards_list->parsed()) {
                    return run_standards_list();
                }
                if (standards_show->parsed()) {
                    return run_standards_show(*standard_id);
                }
                return 2;
            }};
}

} // namespace yike::cli
