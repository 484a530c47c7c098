;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu bootloader): bootloaders, their configuration, and menu entries.
;;;
;;; The model of GNU Guix 1.5's module of the same name.  A <bootloader> says
;;; how to install a bootloader package and generate its configuration
;;; file; a <bootloader-configuration> is what an operating system's
;;; 'bootloader' field holds.
;;;
;;; The 'target' field of <bootloader-configuration> is deprecated in favour
;;; of 'targets' (a list).  As in Guix, giving it prints
;;;
;;;   FILE:LINE:COLUMN: warning: the 'target' field is deprecated, please use
;;;   'targets' instead
;;;
;;; on the error port, located at the value of the field, and the value
;;; still counts: 'bootloader-configuration-targets' falls back on it.
;;;
;;; Where schemos differs from Guix, and why: Guix finds the known
;;; bootloaders (%bootloaders) by scanning every module under gnu/bootloader/
;;; on the load path; schemos asks (gnu bootloader grub), the bootloader
;;; module it has.  'efi-bootloader-chain', which builds a profile, belongs
;;; with the profile code of a later stage.

(define-module (gnu bootloader)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system uuid)
  #:use-module (srfi srfi-1)
  #:export (menu-entry
            menu-entry?
            menu-entry-label
            menu-entry-device
            menu-entry-linux
            menu-entry-linux-arguments
            menu-entry-initrd
            menu-entry-device-mount-point
            menu-entry-multiboot-kernel
            menu-entry-multiboot-arguments
            menu-entry-multiboot-modules
            menu-entry-chain-loader

            menu-entry->sexp
            sexp->menu-entry

            bootloader
            bootloader?
            bootloader-name
            bootloader-package
            bootloader-installer
            bootloader-disk-image-installer
            bootloader-configuration-file
            bootloader-configuration-file-generator

            bootloader-configuration
            bootloader-configuration?
            bootloader-configuration-bootloader
            bootloader-configuration-target ;deprecated
            bootloader-configuration-targets
            bootloader-configuration-menu-entries
            bootloader-configuration-default-entry
            bootloader-configuration-timeout
            bootloader-configuration-keyboard-layout
            bootloader-configuration-theme
            bootloader-configuration-terminal-outputs
            bootloader-configuration-terminal-inputs
            bootloader-configuration-serial-unit
            bootloader-configuration-serial-speed
            bootloader-configuration-device-tree-support?
            bootloader-configuration-extra-initrd

            %bootloaders
            lookup-bootloader-by-name))


;;;
;;; Menu-entry record.
;;;

(define-record-type* <menu-entry>
  menu-entry make-menu-entry
  menu-entry?
  (label           menu-entry-label)
  (device          menu-entry-device       ; file system uuid, label, or #f
                   (default #f))
  (device-mount-point menu-entry-device-mount-point
                   (default #f))
  (linux           menu-entry-linux
                   (default #f))
  (linux-arguments menu-entry-linux-arguments
                   (default '()))          ; list of string-valued gexps
  (initrd          menu-entry-initrd       ; file name of the initrd as a gexp
                   (default #f))
  (multiboot-kernel menu-entry-multiboot-kernel
                    (default #f))
  (multiboot-arguments menu-entry-multiboot-arguments
                       (default '()))      ; list of string-valued gexps
  (multiboot-modules menu-entry-multiboot-modules
                     (default '()))        ; list of multiboot commands, where
                                           ; a command is a list of <string>
  (chain-loader     menu-entry-chain-loader
                    (default #f)))         ; string, path of efi file

(define (report-menu-entry-error entry)
  (raise-located-error
   #f
   (format #f "invalid menu-entry: ~a" entry)
   "Please choose only one of: direct boot by specifying fields 'linux',
'linux-arguments' and 'linux-modules'; multiboot by specifying fields
'multiboot-kernel', 'multiboot-arguments' and 'multiboot-modules';
chain-loader by specifying field 'chain-loader'."))

(define (menu-entry->sexp entry)
  "Return ENTRY serialized as an sexp."
  (define (device->sexp device)
    (cond ((uuid? device)
           `(uuid ,(uuid-type device) ,(uuid->string device)))
          ((file-system-label? device)
           `(label ,(file-system-label->string device)))
          (else device)))
  (let ((label (menu-entry-label entry))
        (device (device->sexp (menu-entry-device entry)))
        (mount-point (menu-entry-device-mount-point entry))
        (linux (menu-entry-linux entry))
        (initrd (menu-entry-initrd entry))
        (kernel (menu-entry-multiboot-kernel entry))
        (chain-loader (menu-entry-chain-loader entry)))
    (cond ((and linux initrd (not kernel) (not chain-loader))
           `(menu-entry (version 0)
                        (label ,label)
                        (device ,device)
                        (device-mount-point ,mount-point)
                        (linux ,linux)
                        (linux-arguments ,(menu-entry-linux-arguments entry))
                        (initrd ,initrd)))
          ((and kernel (not linux) (not chain-loader))
           `(menu-entry (version 0)
                        (label ,label)
                        (device ,device)
                        (device-mount-point ,mount-point)
                        (multiboot-kernel ,kernel)
                        (multiboot-arguments
                         ,(menu-entry-multiboot-arguments entry))
                        (multiboot-modules
                         ,(menu-entry-multiboot-modules entry))))
          ((and chain-loader (not linux) (not kernel))
           `(menu-entry (version 0)
                        (label ,label)
                        (device ,device)
                        (device-mount-point ,mount-point)
                        (chain-loader ,chain-loader)))
          (else (report-menu-entry-error entry)))))

(define (sexp->menu-entry sexp)
  "Turn SEXP, an sexp as returned by 'menu-entry->sexp', into a <menu-entry>
record."
  (define (field name)
    (let ((entry (assq name (cddr sexp))))
      (and entry (cadr entry))))
  (define (sexp->device device-sexp)
    (cond ((and (pair? device-sexp) (eq? 'uuid (car device-sexp)))
           (uuid (caddr device-sexp) (cadr device-sexp)))
          ((and (pair? device-sexp) (eq? 'label (car device-sexp)))
           (file-system-label (cadr device-sexp)))
          (else device-sexp)))
  (let ((base (menu-entry
               (label (field 'label))
               (device (sexp->device (field 'device)))
               (device-mount-point (field 'device-mount-point)))))
    (cond ((field 'linux)
           (menu-entry
            (inherit base)
            (linux (field 'linux))
            (linux-arguments (field 'linux-arguments))
            (initrd (field 'initrd))))
          ((field 'multiboot-kernel)
           (menu-entry
            (inherit base)
            (multiboot-kernel (field 'multiboot-kernel))
            (multiboot-arguments (field 'multiboot-arguments))
            (multiboot-modules (field 'multiboot-modules))))
          (else
           (menu-entry
            (inherit base)
            (chain-loader (field 'chain-loader)))))))


;;;
;;; Bootloader record.
;;;

;; How a bootloader is installed, and how its configuration file is made.
;; Every bootloader of gnu/bootloader/ is described by such a record.
(define-record-type* <bootloader>
  bootloader make-bootloader
  bootloader?
  (name                            bootloader-name)
  (package                         bootloader-package)
  (installer                       bootloader-installer)
  (disk-image-installer            bootloader-disk-image-installer
                                   (default #f))
  (configuration-file              bootloader-configuration-file)
  (configuration-file-generator    bootloader-configuration-file-generator))


;;;
;;; Bootloader configuration record.
;;;

;; The sanitizer of the deprecated 'target' field: it sees where the value
;; was written, to warn there.
(define-with-syntax-properties (warn-target-field-deprecation
                                (value properties))
  (when value
    (warning (source-properties->location properties)
             "the 'target' field is deprecated, please use 'targets' \
instead~%"))
  value)

;; The bootloader-independent configuration, used to fill the bootloader's
;; configuration file.
(define-record-type* <bootloader-configuration>
  bootloader-configuration make-bootloader-configuration
  bootloader-configuration?
  (bootloader
   bootloader-configuration-bootloader) ;<bootloader>
  (targets               %bootloader-configuration-targets
                         (default #f))     ;list of strings
  (target                %bootloader-configuration-target ;deprecated
                         (default #f)
                         (sanitize warn-target-field-deprecation))
  (menu-entries          bootloader-configuration-menu-entries
                         (default '()))   ;list of <menu-entry>
  (default-entry         bootloader-configuration-default-entry
                         (default 0))     ;integer
  (timeout               bootloader-configuration-timeout
                         (default 5))     ;seconds as integer
  (keyboard-layout       bootloader-configuration-keyboard-layout
                         (default #f))    ;<keyboard-layout> | #f
  (theme                 bootloader-configuration-theme
                         (default #f))    ;bootloader-specific theme
  (terminal-outputs      bootloader-configuration-terminal-outputs
                         (default '(gfxterm)))   ;list of symbols
  (terminal-inputs       bootloader-configuration-terminal-inputs
                         (default '()))   ;list of symbols
  (serial-unit           bootloader-configuration-serial-unit
                         (default #f))    ;integer | #f
  (serial-speed          bootloader-configuration-serial-speed
                         (default #f))    ;integer | #f
  (device-tree-support?  bootloader-configuration-device-tree-support?
                         (default #t))    ;boolean
  (extra-initrd          bootloader-configuration-extra-initrd
                         (default #f)))   ;string | #f

(define (bootloader-configuration-target config)
  "Deprecated: the 'target' field of CONFIG; use
'bootloader-configuration-targets'."
  (%bootloader-configuration-target config))

(define (bootloader-configuration-targets config)
  "The list of devices or directories the bootloader of CONFIG is installed
on: the 'targets' field, else a list of the deprecated 'target' field."
  (or (%bootloader-configuration-targets config)
      ;; TODO: Remove after the deprecated 'target' field is removed.  The
      ;; GRUB installer installs fonts and modules only when the device is
      ;; #f, hence '(#f) rather than '() when neither field is given.
      (list (%bootloader-configuration-target config))))


;;;
;;; Bootloaders.
;;;

(define %bootloaders
  ;; The list of publicly-known bootloaders.  Delayed: (gnu bootloader grub)
  ;; itself uses this module.
  (delay (let ((grub (resolve-interface '(gnu bootloader grub))))
           (filter-map (lambda (name)
                         (let ((value (module-ref grub name)))
                           (and (bootloader? value) value)))
                       '(grub-bootloader grub-minimal-bootloader
                         grub-efi-bootloader grub-efi-removable-bootloader
                         grub-efi32-bootloader grub-efi-netboot-bootloader
                         grub-efi-netboot-removable-bootloader
                         grub-mkrescue-bootloader)))))

(define (lookup-bootloader-by-name name)
  "Return the bootloader called NAME."
  (or (find (lambda (bootloader)
              (eq? name (bootloader-name bootloader)))
            (force %bootloaders))
      (raise-located-error #f (format #f "~a: no such bootloader" name))))
