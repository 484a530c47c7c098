;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu): the module operating-system configurations start with.
;;;
;;; As GNU Guix 1.5's (gnu), it re-exports the public interface of the core
;;; (gnu …) modules -- the system, file systems, bootloaders, accounts, PAM,
;;; the base services, the base packages and g-expressions -- and provides
;;; 'use-package-modules', 'use-service-modules' and 'use-system-modules':
;;;
;;;   (use-service-modules ssh networking)
;;;   = (use-modules (gnu services ssh) (gnu services networking))
;;;
;;; These expand to 'use-modules', so they work at the top level of a
;;; configuration file like 'use-modules' itself.  A module that does not
;;; exist is reported at the form that names it, with the load path searched.

(define-module (gnu)
  #:use-module (schemos system-support)
  #:export (use-package-modules
            use-service-modules
            use-system-modules))

;; Guix does this with 'module-use!' on the public interface; here the names
;; are listed when this module is compiled (see schemos/system_support.py).
(%re-export-modules (gnu system)
                    (gnu system mapped-devices)
                    (gnu system file-systems)
                    (gnu bootloader)
                    (gnu bootloader grub)
                    (gnu system keyboard)
                    (gnu system pam)
                    (gnu system shadow)
                    (gnu system linux-initrd)
                    (gnu system nss)
                    (gnu services)
                    (gnu services base)
                    (gnu packages)
                    (gnu packages base)
                    (guix gexp))

(define-syntax-rule (use-package-modules module ...)
  (use-modules (gnu packages module) ...))

(define-syntax-rule (use-service-modules module ...)
  (use-modules (gnu services module) ...))

(define-syntax-rule (use-system-modules module ...)
  (use-modules (gnu system module) ...))
