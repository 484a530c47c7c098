;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system keyboard): keyboard layouts, as the 'keyboard-layout' fields
;;; of operating systems and bootloaders hold them.
;;;
;;; The model of the data part of GNU Guix 1.5's module of the same name;
;;; turning a layout into a console keymap is a build step of a later stage.

(define-module (gnu system keyboard)
  #:use-module (srfi srfi-9)
  #:export (keyboard-layout
            keyboard-layout?
            keyboard-layout-name
            keyboard-layout-variant
            keyboard-layout-model
            keyboard-layout-options))

;; An XKB keyboard layout.
(define-record-type <keyboard-layout>
  (%keyboard-layout name variant model options)
  keyboard-layout?
  (name    keyboard-layout-name)                  ;string
  (variant keyboard-layout-variant)               ;#f | string
  (model   keyboard-layout-model)                 ;#f | string
  (options keyboard-layout-options))              ;list of strings

(define* (keyboard-layout name #:optional variant
                          #:key model (options '()))
  "Return a new keyboard layout with the given NAME and VARIANT.

NAME must be a string such as \"fr\"; VARIANT must be a string such as
\"bepo\" or \"nodeadkeys\".  See the 'xkeyboard-config' package for valid
options."
  (%keyboard-layout name variant model options))
