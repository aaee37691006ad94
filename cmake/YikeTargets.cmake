# Helpers shared by the modules' CMakeLists.txt files.

# yike_library(<module> <sources>...): the library yike_<module> with its alias yike::<module>, its
# public headers in <module>/include and the project's warnings.
function(yike_library module)
  add_library(yike_${module} ${ARGN})
  add_library(yike::${module} ALIAS yike_${module})
  target_include_directories(yike_${module} PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>)
  target_link_libraries(yike_${module} PUBLIC yike::warnings)
endfunction()

# yike_npm_ci(<package_dir> <install_dir> <comment> <outputs>...): installs the npm packages pinned by
# <package_dir>/package.json and package-lock.json into <install_dir> (npm ci, no install scripts);
# <outputs> are files of the installed packages that the build uses, touched so they are newer than
# the lock file.
function(yike_npm_ci package_dir install_dir comment)
  add_custom_command(
    OUTPUT ${ARGN}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${install_dir}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${package_dir}/package.json ${package_dir}/package-lock.json
                                                  ${install_dir}
    COMMAND ${YIKE_NPM} ci --prefix ${install_dir} --ignore-scripts --no-audit --no-fund --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${ARGN}
    DEPENDS ${package_dir}/package.json ${package_dir}/package-lock.json
    COMMENT "${comment}"
    VERBATIM)
endfunction()
