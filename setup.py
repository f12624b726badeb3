"""Builds cibgraph's C++ module (cibgraph._core) with CMake and packages it with python/cibgraph.

`pip install .` runs this. The module is the CMake target `_core` of the project's own build (python/CMakeLists.txt),
so pip and `make` build the same thing. Environment:

  CIBGRAPH_CMAKE_BUILD_DIR  an existing CMake build folder (e.g. `build` after `make`): its `_core` is brought up
                            to date there and packaged, instead of configuring a new build (minutes) in a temporary
                            folder. It must have been configured for the same Python as the one installing.
  CIBGRAPH_PIP_BUILD_DIR    where setuptools puts its own build files (default build-pip/, ignored by git; the
                            project's build/ belongs to CMake).
  CMAKE_BUILD_PARALLEL_LEVEL  parallel compile jobs (default 2).
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))
PIP_BUILD = os.path.abspath(os.environ.get("CIBGRAPH_PIP_BUILD_DIR", os.path.join(ROOT, "build-pip")))
os.makedirs(PIP_BUILD, exist_ok=True)


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(cibgraph VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    """Builds the `_core` target with CMake and copies the module where setuptools packages extensions."""

    def build_extension(self, ext):
        existing = os.environ.get("CIBGRAPH_CMAKE_BUILD_DIR")
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        if existing:
            build_dir = os.path.abspath(existing)
            if not os.path.isfile(os.path.join(build_dir, "CMakeCache.txt")):
                sys.exit(f"CIBGRAPH_CMAKE_BUILD_DIR={existing}: no CMakeCache.txt there (run cmake or make first)")
        else:
            build_dir = os.path.join(os.path.abspath(self.build_temp), "cmake")
            os.makedirs(build_dir, exist_ok=True)
            subprocess.check_call(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                                   f"-DPython3_EXECUTABLE={sys.executable}", "-DCIBGRAPH_BUILD_TESTS=OFF",
                                   "-DCIBGRAPH_BUILD_BENCH=OFF"])
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "_core", f"-j{jobs}"])
        built = glob.glob(os.path.join(build_dir, "python", "cibgraph", "_core*.so"))
        if len(built) != 1:
            sys.exit(f"expected one _core module in {build_dir}/python/cibgraph, found {built}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        # The module's suffix must be this interpreter's (cpython-311-x86_64-linux-gnu): the CMake build decided it.
        suffix = built[0][built[0].index("_core") + len("_core"):]
        if not target.endswith(suffix):
            sys.exit(f"{built[0]} was built for another Python than {sys.executable} (expected *{target[-40:]})")
        shutil.copyfile(built[0], target)


setup(
    version=project_version(),
    package_dir={"": "python"},
    packages=["cibgraph"],
    ext_modules=[Extension("cibgraph._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": PIP_BUILD}, "egg_info": {"egg_base": PIP_BUILD}},
    zip_safe=False,
)
