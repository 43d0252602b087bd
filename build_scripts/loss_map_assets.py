"""Make the loss-map data files and pictures of every data set, with content-hashed names.

Each data set gets assets/loss-maps/<name>.<hash>.js, a script carrying the
loss map that the descent widget draws before Python starts (format in
loss_maps.py), and
assets/loss-maps/<name>.<hash>.png, which pages show when JavaScript is off.
The hash in each name changes with the content, so hosts can let browsers
cache these files for as long as they like.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import loss_maps
import loss_picture
from package_modules import import_fresh
from widget_placeholders import LossMapAssets

LOSS_MAPS_DIR = "assets/loss-maps"


@dataclass(frozen=True)
class LossMapBuild:
    """The files to write, by path relative to the site's root, and what pages need to know of them."""

    files: dict[str, bytes]
    assets_by_dataset: dict[str, LossMapAssets]
    default_dataset: str


def make_loss_map_assets(py_src: Path, node_modules: Path) -> LossMapBuild:
    """Compute every data set's loss map and picture from the package's data sets in py_src."""
    datasets = import_fresh(py_src, "datasets")
    activations = import_fresh(py_src, "activations")
    viridis = loss_picture.read_viridis(node_modules)

    files: dict[str, bytes] = {}
    assets_by_dataset: dict[str, LossMapAssets] = {}
    for loss_map in loss_maps.compute_loss_maps(datasets, activations):
        data = loss_maps.loss_map_script(loss_maps.encode_loss_map(loss_map), loss_map.dataset).encode()
        picture = loss_picture.render_picture(datasets.DATASETS[loss_map.dataset], loss_map, viridis)
        data_path = f"{LOSS_MAPS_DIR}/{loss_maps.hashed_name(loss_map.dataset, data, 'js')}"
        picture_path = f"{LOSS_MAPS_DIR}/{loss_maps.hashed_name(loss_map.dataset, picture, 'png')}"
        files[data_path] = data
        files[picture_path] = picture

        low, high = loss_map.log10_range()
        assets_by_dataset[loss_map.dataset] = LossMapAssets(
            title=loss_map.title,
            data_path=data_path,
            picture_path=picture_path,
            picture_size=loss_picture.picture_size(loss_map.view_box),
            picture=picture,
            view_box=loss_map.view_box,
            loss_range=(10.0 ** low, 10.0 ** high),
        )
    return LossMapBuild(files, assets_by_dataset, datasets.DEFAULT_DATASET)


def write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    """Write each file under site_dir at its relative path."""
    for relative_path, content in files.items():
        target = site_dir / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
