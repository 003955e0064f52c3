//! Files in and out: downloads (scenario JSON, the canvas as SVG or PNG) and reading a file the
//! user picked. The only module that touches Blob, object URLs and FileReader.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `bytes_or_text` (already a JS value: a string or a Blob) as a download named `filename`.
fn offer(filename: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.style().set_property("display", "none")?;
    document.body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Downloads `text` as a file of type `mime`.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    offer(filename, &blob).map_err(|e| format!("{e:?}"))
}

/// Renders `svg_text` (a standalone SVG document of `width`×`height`) into a PNG at `scale` and
/// downloads it; `done` gets the outcome.
pub fn download_svg_as_png(
    filename: &str,
    svg_text: &str,
    width: f64,
    height: f64,
    scale: f64,
    done: impl FnOnce(Result<(), String>) + 'static,
) {
    let result = (|| -> Result<(), JsValue> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let image = web_sys::HtmlImageElement::new()?;
        let canvas: web_sys::HtmlCanvasElement =
            document.create_element("canvas")?.unchecked_into();
        canvas.set_width((width * scale).ceil() as u32);
        canvas.set_height((height * scale).ceil() as u32);
        let filename = filename.to_string();
        let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
        let finish = {
            let done = done.clone();
            move |result: Result<(), String>| {
                if let Some(done) = done.borrow_mut().take() {
                    done(result);
                }
            }
        };
        let finish_error = finish.clone();
        let onerror = Closure::once_into_js(move || {
            finish_error(Err("the browser could not render the SVG".into()));
        });
        let image_for_load = image.clone();
        let onload = Closure::once_into_js(move || {
            let draw = (|| -> Result<(), JsValue> {
                let context: web_sys::CanvasRenderingContext2d = canvas
                    .get_context("2d")?
                    .ok_or("no 2d context")?
                    .unchecked_into();
                context.set_fill_style_str("#ffffff");
                context.fill_rect(0.0, 0.0, width * scale, height * scale);
                context.scale(scale, scale)?;
                context.draw_image_with_html_image_element(&image_for_load, 0.0, 0.0)?;
                let finish_blob = finish.clone();
                let on_blob = Closure::once_into_js(move |blob: JsValue| {
                    let result = match blob.dyn_into::<web_sys::Blob>() {
                        Ok(blob) => offer(&filename, &blob).map_err(|e| format!("{e:?}")),
                        Err(_) => Err("the browser made no PNG".into()),
                    };
                    finish_blob(result);
                });
                canvas.to_blob(on_blob.unchecked_ref())?;
                Ok(())
            })();
            if let Err(e) = draw {
                finish(Err(format!("{e:?}")));
            }
        });
        image.set_onload(Some(onload.unchecked_ref()));
        image.set_onerror(Some(onerror.unchecked_ref()));
        let src = format!(
            "data:image/svg+xml;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(svg_text))
        );
        image.set_src(&src);
        Ok(())
    })();
    if let Err(e) = result {
        web_sys::console::warn_1(&e);
    }
}

/// Reads the first file picked in `input` as text; `done` gets its text or why it failed.
pub fn read_picked_file(
    input: &web_sys::HtmlInputElement,
    done: impl FnOnce(Result<(String, String), String>) + 'static,
) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    let reader = match web_sys::FileReader::new() {
        Ok(reader) => reader,
        Err(e) => {
            done(Err(format!("{e:?}")));
            return;
        }
    };
    let reader_for_load = reader.clone();
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let done_error = done.clone();
    let onload = Closure::once_into_js(move || {
        let text = reader_for_load.result().ok().and_then(|v| v.as_string());
        if let Some(done) = done.borrow_mut().take() {
            done(
                text.map(|t| (name, t))
                    .ok_or_else(|| "the file is not text".to_string()),
            );
        }
    });
    let onerror = Closure::once_into_js(move || {
        if let Some(done) = done_error.borrow_mut().take() {
            done(Err("the browser could not read the file".into()));
        }
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    reader.set_onerror(Some(onerror.unchecked_ref()));
    if let Err(e) = reader.read_as_text(&file) {
        web_sys::console::warn_1(&e);
    }
}

/// Reads the scenario file picked in the file input that fired `ev`, validated by core as the CLI
/// validates it, then clears the input so the same file can be picked again. `done` gets the file's
/// name and the scenario, or a message worded as the CLI words it (the error names the path inside
/// the file).
pub fn read_picked_scenario(
    ev: &web_sys::Event,
    done: impl FnOnce(Result<(String, ctsync_core::Scenario), String>) + 'static,
) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    read_picked_file(&input, move |result| {
        done(match result {
            Ok((file, text)) => ctsync_core::Scenario::from_json(&text)
                .map(|scenario| (file.clone(), scenario))
                .map_err(|e| format!("{file} is not a valid scenario: {e}")),
            Err(e) => Err(format!("The file could not be read: {e}")),
        })
    });
    input.set_value("");
}
