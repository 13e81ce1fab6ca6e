// Files inlined into the HTML report, embedded at build time by cmake/embed_asset.cmake (the definitions are
// generated sources of the civicgrid_report library):
//   echarts_js  node_modules/echarts/dist/echarts.min.js (Apache ECharts, version pinned by package-lock.json)
//   report_css  sim/report/assets/report.css
//   report_js   sim/report/assets/report.js (builds the charts from the civicgrid-data element)
#pragma once

#include <string_view>

namespace civicgrid::report::assets {

std::string_view echarts_js();
std::string_view report_css();
std::string_view report_js();

}  // namespace civicgrid::report::assets
